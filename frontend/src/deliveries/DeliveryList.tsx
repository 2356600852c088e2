import { Datagrid, List, NumberField, ReferenceField, ReferenceInput, SelectInput, SimpleList, TextField, useTranslate } from 'react-admin';
import { LinkToRecordField, LocaleDateField, StatusChipField } from '../common/fields';
import { useIsSmall } from '../common/useIsSmall';
import { choices } from '../vocabularies';
import { RedeliverButton } from './RedeliverButton';

const filters = [
    <SelectInput key="status" source="status" choices={choices('delivery_status')} alwaysOn />,
    <ReferenceInput key="subscription_id" source="subscription_id" reference="subscriptions" alwaysOn>
        <SelectInput optionText="url" />
    </ReferenceInput>,
    <SelectInput key="event_type" source="event_type" choices={choices('event_type')} />,
];

export const DeliveryList = () => {
    const isSmall = useIsSmall();
    const translate = useTranslate();
    return (
        <List filters={filters} sort={{ field: 'created_at', order: 'DESC' }} exporter={false}>
            {isSmall ? (
                <SimpleList
                    primaryText={r => r.event_type}
                    secondaryText={r => `${translate(`suivi.delivery_status.${r.status}`, { _: r.status })} · ${r.attempts}`}
                    linkType="show"
                />
            ) : (
                <Datagrid rowClick="show" bulkActionButtons={false}>
                    <LinkToRecordField source="id" />
                    <ReferenceField source="subscription_id" reference="subscriptions" link="edit" />
                    <TextField source="event_type" />
                    <StatusChipField source="status" namespace="delivery_status" />
                    <NumberField source="attempts" />
                    <TextField source="last_response_code" emptyText="—" sortable={false} />
                    <LocaleDateField source="next_attempt_at" />
                    <LocaleDateField source="updated_at" />
                    <RedeliverButton label="suivi.deliveries.redeliver" />
                </Datagrid>
            )}
        </List>
    );
};

export default DeliveryList;
