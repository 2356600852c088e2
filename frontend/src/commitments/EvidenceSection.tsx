import { useState } from 'react';
import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Link, Typography } from '@mui/material';
import { useDataProvider, useTranslate, type Identifier, type RaRecord } from 'react-admin';
import { StatusChip, useFormatDate } from '../common/fields';
import type { SuiviDataProvider } from '../dataProvider';

/** Opens the archived copy of a piece of evidence (GET /api/evidence/<id>/archive). */
export const ArchiveButton = ({ id }: { id: Identifier }) => {
    const translate = useTranslate();
    const dataProvider = useDataProvider<SuiviDataProvider>();
    const [text, setText] = useState<string | null>(null);
    const [open, setOpen] = useState(false);
    const show = async () => {
        setOpen(true);
        try {
            setText(await dataProvider.getEvidenceArchive(id));
        } catch (e: any) {
            setText(e?.message ?? String(e));
        }
    };
    return (
        <>
            <Button size="small" onClick={show}>
                {translate('suivi.evidence.open_archive')}
            </Button>
            <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="md" aria-labelledby={`archive-${id}`}>
                <DialogTitle id={`archive-${id}`}>{translate('suivi.evidence.archive_title')}</DialogTitle>
                <DialogContent>
                    <Typography component="pre" sx={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}>
                        {text ?? '…'}
                    </Typography>
                </DialogContent>
                <DialogActions>
                    <Button onClick={() => setOpen(false)}>{translate('suivi.evidence.close')}</Button>
                </DialogActions>
            </Dialog>
        </>
    );
};

export const EvidenceItems = ({ evidence }: { evidence: RaRecord[] }) => {
    const translate = useTranslate();
    const format = useFormatDate();
    if (!evidence.length) return <Typography color="text.secondary">{translate('suivi.commitments.no_evidence')}</Typography>;
    return (
        <Box component="ul" sx={{ m: 0, pl: 2 }} data-testid="evidence-list">
            {evidence.map(ev => (
                <Box component="li" key={ev.id} sx={{ mb: 1.5 }}>
                    <Link href={ev.url} target="_blank" rel="noopener noreferrer">
                        {ev.title || ev.url}
                    </Link>
                    {ev.published_at && (
                        <Typography variant="body2" color="text.secondary" component="span">
                            {' '}
                            · {format(ev.published_at, false)}
                        </Typography>
                    )}
                    {ev.excerpt && (
                        <Typography variant="body2" sx={{ fontStyle: 'italic' }}>
                            « {ev.excerpt} »
                        </Typography>
                    )}
                    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.5, flexWrap: 'wrap' }}>
                        {ev.archive_status && <StatusChip value={ev.archive_status} namespace="archive_status" />}
                        {ev.archive_status === 'archived' && <ArchiveButton id={ev.id} />}
                        {ev.archive_status === 'failed' && ev.archive_error && (
                            <Typography variant="caption" color="text.secondary">
                                {ev.archive_error}
                            </Typography>
                        )}
                        <Typography variant="caption" color="text.secondary">
                            {[ev.added_by, format(ev.added_at)].filter(Boolean).join(' · ')}
                        </Typography>
                    </Box>
                </Box>
            ))}
        </Box>
    );
};
