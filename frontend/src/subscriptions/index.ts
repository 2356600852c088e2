import WebhookIcon from '@mui/icons-material/Webhook';
import { SubscriptionList } from './SubscriptionList';
import { SubscriptionCreate } from './SubscriptionCreate';
import { SubscriptionEdit } from './SubscriptionEdit';

export default {
    list: SubscriptionList,
    create: SubscriptionCreate,
    edit: SubscriptionEdit,
    icon: WebhookIcon,
    recordRepresentation: 'url',
};
