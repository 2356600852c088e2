import { useState, type FormEvent } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import AddLinkIcon from '@mui/icons-material/AddLink';
import { useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { useIsSmall } from '../common/useIsSmall';

/** Adds a piece of evidence to a commitment without changing its status. */
export const AddEvidenceButton = () => {
    const record = useRecordContext();
    const translate = useTranslate();
    const dataProvider = useDataProvider();
    const notify = useNotify();
    const refresh = useRefresh();
    const [open, setOpen] = useState(false);
    const [values, setValues] = useState({ url: '', title: '', excerpt: '', published_at: '' });
    const [errors, setErrors] = useState<Record<string, string>>({});
    const [saving, setSaving] = useState(false);
    const isSmall = useIsSmall();
    if (!record) return null;

    const set = (field: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues(v => ({ ...v, [field]: e.target.value }));
    const submit = async (event: FormEvent) => {
        event.preventDefault();
        let valid = false;
        try {
            valid = ['http:', 'https:'].includes(new URL(values.url.trim()).protocol);
        } catch {
            valid = false;
        }
        if (!valid) {
            setErrors({ url: translate('suivi.status_dialog.invalid_url') });
            return;
        }
        setSaving(true);
        try {
            await dataProvider.create('evidence', {
                data: {
                    commitment_id: record.id,
                    url: values.url.trim(),
                    title: values.title.trim() || undefined,
                    excerpt: values.excerpt.trim() || undefined,
                    published_at: values.published_at || undefined,
                },
            });
            notify('ra.notification.created', { type: 'success', messageArgs: { smart_count: 1 } });
            setOpen(false);
            setValues({ url: '', title: '', excerpt: '', published_at: '' });
            refresh();
        } catch (e: any) {
            setErrors(Object.fromEntries(Object.entries(e?.body?.errors ?? {}).map(([k, v]) => [k, String(v)])));
            notify(e?.message ?? 'ra.notification.http_error', { type: 'error' });
        } finally {
            setSaving(false);
        }
    };

    return (
        <>
            <Button size="small" startIcon={<AddLinkIcon />} onClick={() => setOpen(true)} data-testid="add-evidence">
                {translate('suivi.evidence.add')}
            </Button>
            <Dialog open={open} onClose={() => setOpen(false)} fullWidth fullScreen={isSmall} maxWidth="sm" aria-labelledby="add-evidence-title">
                <form onSubmit={submit} noValidate>
                    <DialogTitle id="add-evidence-title">{translate('suivi.evidence.add')}</DialogTitle>
                    <DialogContent>
                        <Stack gap={2} sx={{ pt: 1 }}>
                            <TextField id="new_evidence_url" required type="url" label={translate('resources.evidence.fields.url')} value={values.url} onChange={set('url')} error={!!errors.url} helperText={errors.url} />
                            <TextField id="new_evidence_title" label={translate('resources.evidence.fields.title')} value={values.title} onChange={set('title')} error={!!errors.title} helperText={errors.title} />
                            <TextField id="new_evidence_excerpt" multiline minRows={2} label={translate('resources.evidence.fields.excerpt')} value={values.excerpt} onChange={set('excerpt')} />
                            <TextField
                                id="new_evidence_published_at"
                                type="date"
                                label={translate('resources.evidence.fields.published_at')}
                                value={values.published_at}
                                onChange={set('published_at')}
                                error={!!errors.published_at}
                                helperText={errors.published_at}
                                slotProps={{ inputLabel: { shrink: true } }}
                            />
                        </Stack>
                    </DialogContent>
                    <DialogActions>
                        <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
                        <Button type="submit" variant="contained" disabled={saving}>
                            {translate('ra.action.save')}
                        </Button>
                    </DialogActions>
                </form>
            </Dialog>
        </>
    );
};

export default AddEvidenceButton;
