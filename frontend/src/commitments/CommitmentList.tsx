import {
    BooleanInput,
    Datagrid,
    FilterButton,
    List,
    ReferenceInput,
    SearchInput,
    SelectInput,
    SimpleList,
    TextField,
    TopToolbar,
    useRecordContext,
    useTranslate,
} from 'react-admin';
import { Chip } from '@mui/material';
import { choices } from '../vocabularies';
import { LinkToRecordField, StatusChipField, TermField, TermsField } from '../common/fields';
import { useIsSmall } from '../common/useIsSmall';
import { ExportCsvButton } from './ExportCsvButton';

const filters = [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="status" source="status" choices={choices('status')} alwaysOn />,
    <SelectInput key="topics" source="topics" choices={choices('topic')} alwaysOn />,
    <SelectInput key="actors" source="actors" choices={choices('actor')} />,
    <SelectInput key="kind" source="kind" choices={choices('kind')} />,
    <ReferenceInput key="document_id" source="document_id" reference="documents" sort={{ field: 'created_at', order: 'DESC' }}>
        <SelectInput optionText="title" />
    </ReferenceInput>,
    <BooleanInput key="overdue" source="overdue" label="suivi.commitments.overdue_only" />,
];

const ListActions = () => (
    <TopToolbar>
        <FilterButton />
        <ExportCsvButton />
    </TopToolbar>
);

/** The deadline, with a warning chip when it has passed and the commitment is not kept. */
const DeadlineField = (_: { label?: string }) => {
    const record = useRecordContext();
    const translate = useTranslate();
    if (!record) return null;
    return (
        <span>
            {record.deadline ?? ''}{' '}
            {record.overdue && <Chip size="small" color="warning" label={translate('resources.commitments.fields.overdue')} />}
        </span>
    );
};

export const CommitmentList = () => {
    const isSmall = useIsSmall();
    const translate = useTranslate();
    return (
        <List filters={filters} actions={<ListActions />} sort={{ field: 'id', order: 'ASC' }} exporter={false}>
            {isSmall ? (
                <SimpleList
                    primaryText={r => r.title || r.text}
                    secondaryText={r => translate(`suivi.status.${r.status}`, { _: r.status })}
                    tertiaryText={r => (r.overdue ? translate('resources.commitments.fields.overdue') : r.deadline ?? '')}
                    linkType="show"
                />
            ) : (
                <Datagrid
                    rowClick="show"
                    bulkActionButtons={false}
                    sx={{ '& .column-title': { minWidth: 280, width: '40%' }, '& .column-id': { width: 48 } }}
                >
                    <TextField source="id" />
                    <LinkToRecordField source="title" fallback="text" />
                    <TermField source="kind" namespace="kind" />
                    <TermsField source="topics" namespace="topic" sortable={false} />
                    <TermsField source="actors" namespace="actor" sortable={false} />
                    <StatusChipField source="status" />
                    <DeadlineField label="resources.commitments.fields.deadline" />
                </Datagrid>
            )}
        </List>
    );
};

export default CommitmentList;
