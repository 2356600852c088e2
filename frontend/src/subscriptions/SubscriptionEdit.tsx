import { Edit, ListButton, TopToolbar } from 'react-admin';
import { SubscriptionForm } from './SubscriptionForm';
import { RotateSecretButton, TestSendButton } from './SubscriptionButtons';

const Actions = () => (
    <TopToolbar>
        <ListButton />
        <TestSendButton />
        <RotateSecretButton />
    </TopToolbar>
);

/** Strip read-only fields before PUT. */
const toUpdate = ({ id: _id, created_at: _c, secret: _s, ...rest }: any) => rest;

export const SubscriptionEdit = () => (
    <Edit actions={<Actions />} mutationMode="pessimistic" transform={toUpdate}>
        <SubscriptionForm />
    </Edit>
);

export default SubscriptionEdit;
