import { Edit, ListButton, TopToolbar, DeleteButton } from 'react-admin';
import { SubscriptionForm } from './SubscriptionForm';
import { RotateSecretButton, TestSendButton } from './SubscriptionButtons';

const Actions = () => (
    <TopToolbar>
        <ListButton />
        <TestSendButton />
        <RotateSecretButton />
        <DeleteButton mutationMode="pessimistic" />
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
