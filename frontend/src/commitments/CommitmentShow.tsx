import { useState } from 'react';
import { Box, Button, Card, CardContent, Chip, Grid, Link, Stack, Typography } from '@mui/material';
import SwapHorizIcon from '@mui/icons-material/SwapHoriz';
import { Link as RouterLink } from 'react-router-dom';
import {
    EditButton,
    Labeled,
    Show,
    TopToolbar,
    useGetList,
    useNotify,
    useRecordContext,
    useRefresh,
    useTranslate,
    type RaRecord,
} from 'react-admin';
import { LocaleDateField, StatusChipField, TermField, TermsField } from '../common/fields';
import { useRole } from '../common/roles';
import { ChangeStatusDialog } from './ChangeStatusDialog';
import { EvidenceItems } from './EvidenceSection';
import { AddEvidenceButton } from './AddEvidenceDialog';
import { StatusHistory } from './StatusHistory';

const useEvidence = (commitmentId: RaRecord['id'] | undefined) =>
    useGetList(
        'evidence',
        { filter: { commitment_id: commitmentId }, sort: { field: 'added_at', order: 'DESC' }, pagination: { page: 1, perPage: 100 } },
        { enabled: commitmentId != null }
    );

/** Edit and Change status, only for roles that may change data. */
export const CommitmentShowActions = () => {
    const record = useRecordContext();
    const { canEdit } = useRole();
    const translate = useTranslate();
    const notify = useNotify();
    const refresh = useRefresh();
    const [open, setOpen] = useState(false);
    const { data: evidence = [] } = useEvidence(record?.id);
    if (!record || !canEdit) return <TopToolbar />;
    return (
        <TopToolbar sx={{ flexWrap: 'wrap', justifyContent: 'flex-end' }}>
            <EditButton />
            <AddEvidenceButton />
            <Button size="small" startIcon={<SwapHorizIcon />} onClick={() => setOpen(true)} data-testid="change-status">
                {translate('suivi.commitments.change_status')}
            </Button>
            <ChangeStatusDialog
                record={record}
                open={open}
                onClose={() => setOpen(false)}
                existingEvidence={evidence.map(e => ({ id: e.id, title: e.title, url: e.url }))}
                onChanged={() => {
                    notify('suivi.status_dialog.success', { type: 'success' });
                    refresh();
                }}
            />
        </TopToolbar>
    );
};

const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
    <Card variant="outlined" sx={{ mb: 2 }} component="section" aria-label={title}>
        <CardContent>
            <Typography variant="h6" component="h2" gutterBottom>
                {title}
            </Typography>
            {children}
        </CardContent>
    </Card>
);

const Sources = () => {
    const record = useRecordContext();
    const translate = useTranslate();
    const sources: any[] = record?.sources ?? [];
    return (
        <Stack gap={2} data-testid="sources">
            {sources.map(source => (
                <Box key={source.id ?? `${source.document_id}-${source.start}`}>
                    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1 }}>
                        <Link
                            component={RouterLink}
                            to={`/documents/${source.document_id}/show${source.start != null && source.end != null ? `?highlight=${source.start}-${source.end}` : ''}`}
                            aria-label={`${translate('suivi.commitments.open_in_document')} : ${source.document_title ?? ''} ${source.locator ?? ''}`}
                        >
                            {source.document_title ?? `#${source.document_id}`}
                            {source.locator ? ` — ${source.locator}` : ''}
                        </Link>
                        {source.negotiation_status && source.negotiation_status !== 'none' && (
                            <Chip size="small" variant="outlined" label={translate(`suivi.negotiation.${source.negotiation_status}`, { _: source.negotiation_status })} />
                        )}
                        {source.language && <Chip size="small" variant="outlined" label={source.language} />}
                    </Box>
                    {source.text && (
                        <Typography variant="body2" sx={{ fontStyle: 'italic', mt: 0.5 }}>
                            « {source.text} »
                        </Typography>
                    )}
                </Box>
            ))}
        </Stack>
    );
};

const EvidencePanel = () => {
    const record = useRecordContext();
    const { data = [] } = useEvidence(record?.id);
    return <EvidenceItems evidence={data} />;
};

/** The deadline, with a warning chip when it has passed and the commitment is not kept. */
const DeadlineValue = (_: { source: string }) => {
    const record = useRecordContext();
    const translate = useTranslate();
    if (!record) return null;
    return (
        <span>
            {record.deadline ?? translate('suivi.none')}{' '}
            {record.overdue && <Chip size="small" color="warning" label={translate('resources.commitments.fields.overdue')} />}
        </span>
    );
};

const CommitmentDetail = () => {
    const record = useRecordContext();
    const translate = useTranslate();
    if (!record) return null;
    return (
        <Box sx={{ p: { xs: 1, sm: 2 } }}>
            <Typography variant="h5" component="h1" gutterBottom data-testid="commitment-title">
                {record.title}
            </Typography>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 3, mb: 2 }}>
                <Labeled><StatusChipField source="status" /></Labeled>
                <Labeled><TermField source="kind" namespace="kind" /></Labeled>
                <Labeled><DeadlineValue source="deadline" /></Labeled>
                <Labeled><LocaleDateField source="updated_at" /></Labeled>
            </Box>
            <Typography component="blockquote" sx={{ borderLeft: '4px solid', borderColor: 'primary.light', pl: 2, my: 2, whiteSpace: 'pre-wrap' }} data-testid="commitment-text">
                {record.text}
            </Typography>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 3, mb: 2 }}>
                <Labeled><TermsField source="topics" namespace="topic" /></Labeled>
                <Labeled><TermsField source="actors" namespace="actor" /></Labeled>
            </Box>
            <Grid container spacing={2}>
                <Grid size={{ xs: 12, md: 7 }}>
                    <Section title={translate('suivi.commitments.sources')}>
                        <Sources />
                    </Section>
                    <Section title={translate('suivi.commitments.evidence')}>
                        <EvidencePanel />
                    </Section>
                </Grid>
                <Grid size={{ xs: 12, md: 5 }}>
                    <Section title={translate('suivi.commitments.history')}>
                        <StatusHistory commitmentId={record.id} />
                    </Section>
                </Grid>
            </Grid>
        </Box>
    );
};

export const CommitmentShow = () => (
    <Show actions={<CommitmentShowActions />}>
        <CommitmentDetail />
    </Show>
);

export default CommitmentShow;
