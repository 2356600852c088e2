import { useEffect, useMemo, useState } from 'react';
import { Alert, Box, Card, CardContent, Grid, LinearProgress, List as MuiList, ListItemButton, ListItemText, Typography } from '@mui/material';
import { useLocation, useNavigate } from 'react-router-dom';
import {
    Labeled,
    NumberField,
    Show,
    SimpleShowLayout,
    TextField,
    useDataProvider,
    useRecordContext,
    useTranslate,
} from 'react-admin';
import type { DocumentTextItem, SuiviDataProvider } from '../dataProvider';
import { LocaleDateField, StatusChipField } from '../common/fields';
import { HighlightedText, type HighlightItem } from './HighlightedText';
import { parseHighlight } from './highlight';

const truncate = (text: string, n = 90) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** The document's text with its extracted commitments highlighted and clickable. */
export const DocumentTextView = () => {
    const record = useRecordContext();
    const translate = useTranslate();
    const dataProvider = useDataProvider<SuiviDataProvider>();
    const navigate = useNavigate();
    const location = useLocation();
    const focus = parseHighlight(new URLSearchParams(location.search).get('highlight'));
    const [content, setContent] = useState<{ text: string; commitments: DocumentTextItem[] } | null>(null);
    const [error, setError] = useState<string | null>(null);

    const ready = record?.status === 'done';
    useEffect(() => {
        if (!record || !ready) return;
        let cancelled = false;
        dataProvider
            .getDocumentText(record.id)
            .then(c => !cancelled && setContent(c))
            .catch(e => !cancelled && setError(e?.message ?? String(e)));
        return () => {
            cancelled = true;
        };
    }, [record?.id, ready, dataProvider]);

    const items: (HighlightItem & { item: DocumentTextItem })[] = useMemo(
        () =>
            (content?.commitments ?? []).map(c => ({
                key: String(c.id),
                start: c.start,
                end: c.end,
                label: translate('suivi.documents.open_commitment', { text: truncate(c.text ?? '') }),
                item: c,
            })),
        [content, translate]
    );

    if (!record) return null;
    if (!ready) {
        return (
            <Box>
                <Typography>{translate('suivi.documents.not_ready')}</Typography>
                <LinearProgress variant="determinate" value={Math.round((record.progress ?? 0) * 100)} aria-label={translate('suivi.documents.progress_label')} />
            </Box>
        );
    }
    if (error) return <Alert severity="error">{error}</Alert>;
    if (!content) return <LinearProgress aria-label={translate('ra.page.loading')} />;

    const open = (key: string) => {
        const entry = items.find(i => i.key === key);
        if (!entry) return;
        const target = entry.item.commitment_id ?? entry.item.id;
        navigate(`/commitments/${encodeURIComponent(String(target))}/show`);
    };

    return (
        <Grid container spacing={2}>
            <Grid size={{ xs: 12, md: 8 }}>
                <Card variant="outlined">
                    <CardContent>
                        <Typography variant="h6" component="h2" gutterBottom>
                            {translate('suivi.documents.text')}
                        </Typography>
                        <Typography variant="body2" color="text.secondary" gutterBottom>
                            {translate('suivi.documents.highlight_hint')}
                        </Typography>
                        <HighlightedText text={content.text} items={items} focus={focus} onSelect={open} />
                    </CardContent>
                </Card>
            </Grid>
            <Grid size={{ xs: 12, md: 4 }}>
                <Card variant="outlined">
                    <CardContent>
                        <Typography variant="h6" component="h2">
                            {translate('suivi.documents.extracted')} ({items.length})
                        </Typography>
                        {items.length === 0 && <Typography>{translate('suivi.documents.no_extracted')}</Typography>}
                        <MuiList dense aria-label={translate('suivi.documents.extracted')}>
                            {items.map(i => (
                                <ListItemButton key={i.key} onClick={() => open(i.key)} data-testid="extracted-item">
                                    <ListItemText
                                        primary={truncate(i.item.text ?? '', 140)}
                                        secondary={[i.item.kind && translate(`suivi.kind.${i.item.kind}`, { _: i.item.kind }), ...(i.item.topics ?? []).map(t => translate(`suivi.topic.${t}`, { _: t }))]
                                            .filter(Boolean)
                                            .join(' · ')}
                                    />
                                </ListItemButton>
                            ))}
                        </MuiList>
                    </CardContent>
                </Card>
            </Grid>
        </Grid>
    );
};

const DocumentError = () => {
    const record = useRecordContext();
    return record?.error ? (
        <Alert severity="error" data-testid="document-error">
            {record.error}
        </Alert>
    ) : null;
};

const settled = (status: unknown) => status === 'done' || status === 'failed';

export const DocumentShow = () => (
    <Show queryOptions={{ refetchInterval: query => (query.state.data && !settled(query.state.data.status) ? 2000 : false) }}>
        <SimpleShowLayout>
            <TextField source="title" variant="h5" />
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 3 }}>
                <Labeled><TextField source="filename" /></Labeled>
                <Labeled><TextField source="format" /></Labeled>
                <Labeled><TextField source="language" /></Labeled>
                <Labeled><StatusChipField source="status" namespace="document_status" /></Labeled>
                <Labeled><NumberField source="commitment_count" /></Labeled>
                <Labeled><LocaleDateField source="created_at" /></Labeled>
            </Box>
            <DocumentError />
            <DocumentTextView />
        </SimpleShowLayout>
    </Show>
);

export default DocumentShow;
