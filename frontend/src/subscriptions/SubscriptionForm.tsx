import { BooleanInput, SelectArrayInput, SimpleForm, TextInput, required, type SimpleFormProps } from 'react-admin';
import { choices } from '../vocabularies';

const toIds = (value: string) =>
    value
        .split(/[\s,;]+/)
        .map(s => s.trim())
        .filter(Boolean)
        .map(s => (/^\d+$/.test(s) ? Number(s) : s));

const fromIds = (value: unknown) => (Array.isArray(value) ? value.join(', ') : (value as string) ?? '');

const validateUrl = (value: unknown) => {
    try {
        const url = new URL(String(value));
        return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'suivi.status_dialog.invalid_url';
    } catch {
        return 'suivi.status_dialog.invalid_url';
    }
};

export const SubscriptionForm = (props: Omit<SimpleFormProps, 'children'>) => (
    <SimpleForm defaultValues={{ active: true, event_types: [], filter: { topics: [], commitment_ids: [], statuses: [] } }} {...props}>
        <TextInput source="url" type="url" validate={[required(), validateUrl]} fullWidth />
        <TextInput source="description" fullWidth />
        <SelectArrayInput source="event_types" choices={choices('event_type')} fullWidth />
        <SelectArrayInput source="filter.topics" choices={choices('topic')} label="resources.subscriptions.fields.filter.topics" fullWidth />
        <SelectArrayInput source="filter.statuses" choices={choices('status')} label="resources.subscriptions.fields.filter.statuses" fullWidth />
        <TextInput
            source="filter.commitment_ids"
            label="resources.subscriptions.fields.filter.commitment_ids"
            helperText="suivi.subscriptions.commitment_ids_help"
            parse={toIds}
            format={fromIds}
            fullWidth
        />
        <BooleanInput source="active" />
    </SimpleForm>
);

export default SubscriptionForm;
