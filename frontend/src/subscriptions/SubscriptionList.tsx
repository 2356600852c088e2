import { BooleanField, Datagrid, List, SimpleList, TextField } from 'react-admin';
import { LinkToRecordField, LocaleDateField, TermsField } from '../common/fields';
import { useIsSmall } from '../common/useIsSmall';
import { TestSendButton } from './SubscriptionButtons';

export const SubscriptionList = () => {
    const isSmall = useIsSmall();
    return (
        <List sort={{ field: 'created_at', order: 'DESC' }} exporter={false}>
            {isSmall ? (
                <SimpleList primaryText={r => r.url} secondaryText={r => r.description} linkType="edit" />
            ) : (
                <Datagrid rowClick="edit" bulkActionButtons={false}>
                    <LinkToRecordField source="url" link="edit" />
                    <TextField source="description" />
                    <TermsField source="event_types" namespace="event_type" sortable={false} />
                    <BooleanField source="active" />
                    <LocaleDateField source="created_at" />
                    <TestSendButton />
                </Datagrid>
            )}
        </List>
    );
};

export default SubscriptionList;
