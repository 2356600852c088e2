import { Datagrid, List, NumberField, SimpleList, TextField, useRecordContext, useTranslate } from 'react-admin';
import { LinearProgress } from '@mui/material';
import { LinkToRecordField, LocaleDateField, StatusChipField } from '../common/fields';
import { useIsSmall } from '../common/useIsSmall';

/** A small progress bar while the document is still being analysed. */
const ProgressField = (_: { label?: string }) => {
    const record = useRecordContext();
    const translate = useTranslate();
    if (!record || record.status === 'done' || record.status === 'failed') return null;
    return (
        <LinearProgress
            variant="determinate"
            value={Math.round((record.progress ?? 0) * 100)}
            aria-label={translate('suivi.documents.progress_label')}
            sx={{ minWidth: 80 }}
        />
    );
};

export const DocumentList = () => {
    const isSmall = useIsSmall();
    const translate = useTranslate();
    return (
        <List
            sort={{ field: 'created_at', order: 'DESC' }}
            exporter={false}
            // While a document is being analysed, refresh the list to show its progress.
            queryOptions={{
                refetchInterval: query =>
                    query.state.data?.data?.some((d: any) => d.status === 'queued' || d.status === 'processing') ? 2000 : false,
            }}
        >
            {isSmall ? (
                <SimpleList
                    primaryText={r => r.title || r.filename}
                    secondaryText={r =>
                        `${translate(`suivi.document_status.${r.status}`, { _: r.status })} · ${r.commitment_count ?? 0}`
                    }
                    linkType="show"
                />
            ) : (
                <Datagrid rowClick="show" bulkActionButtons={false}>
                    <LinkToRecordField source="title" fallback="filename" />
                    <TextField source="filename" />
                    <TextField source="language" />
                    <StatusChipField source="status" namespace="document_status" />
                    <ProgressField label="resources.documents.fields.progress" />
                    <NumberField source="commitment_count" />
                    <LocaleDateField source="created_at" />
                </Datagrid>
            )}
        </List>
    );
};

export default DocumentList;
