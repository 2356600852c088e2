import {
    AutocompleteArrayInput,
    Edit,
    SaveButton,
    SimpleForm,
    TextInput,
    Toolbar,
    useNotify,
    useRedirect,
    useTranslate,
    type RaRecord,
} from 'react-admin';
import { choices } from '../vocabularies';

const DEADLINE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

export const validateDeadline = (value: unknown) =>
    value == null || value === '' || DEADLINE.test(String(value)) ? undefined : 'suivi.commitments.deadline_help';

/** Only the editable fields and the version go to PUT /api/commitments/<id>. */
export const toUpdate = (data: RaRecord) => ({
    title: data.title,
    topics: data.topics ?? [],
    actors: data.actors ?? [],
    deadline: data.deadline ? String(data.deadline) : null,
    version: data.version,
});

const EditToolbar = () => (
    <Toolbar>
        <SaveButton />
    </Toolbar>
);

export const CommitmentEdit = () => {
    const notify = useNotify();
    const redirect = useRedirect();
    const translate = useTranslate();
    return (
        <Edit
            mutationMode="pessimistic"
            transform={toUpdate}
            mutationOptions={{
                onSuccess: (data: RaRecord) => {
                    notify('ra.notification.updated', { type: 'success', messageArgs: { smart_count: 1 } });
                    redirect('show', 'commitments', data.id);
                },
                onError: (error: any) => {
                    if (error?.status === 409) {
                        notify(translate('suivi.commitments.conflict'), { type: 'warning', autoHideDuration: 15000 });
                    } else {
                        notify(error?.message ?? 'ra.notification.http_error', { type: 'error' });
                    }
                },
            }}
        >
            <SimpleForm toolbar={<EditToolbar />}>
                <TextInput source="title" fullWidth />
                <AutocompleteArrayInput source="topics" choices={choices('topic')} fullWidth />
                <AutocompleteArrayInput source="actors" choices={choices('actor')} fullWidth />
                <TextInput source="deadline" validate={validateDeadline} helperText="suivi.commitments.deadline_help" parse={v => (v === '' ? null : v)} />
            </SimpleForm>
        </Edit>
    );
};

export default CommitmentEdit;
