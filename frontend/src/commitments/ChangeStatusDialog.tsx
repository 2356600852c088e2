import { useEffect, useState, type FormEvent } from 'react';
import {
    Alert,
    Button,
    Checkbox,
    Dialog,
    DialogActions,
    DialogContent,
    DialogTitle,
    FormControlLabel,
    FormGroup,
    FormLabel,
    Stack,
    TextField,
    Typography,
} from '@mui/material';
import { useDataProvider, useTranslate, type Identifier, type RaRecord } from 'react-admin';
import { useIsSmall } from '../common/useIsSmall';
import { EVIDENCE_REQUIRED_STATUSES, STATUSES } from '../vocabularies';

export interface StatusChangeValues {
    to_status: string;
    rationale: string;
    evidence_url: string;
    evidence_title: string;
    evidence_excerpt: string;
    evidence_ids: Identifier[];
}

export const emptyValues = (): StatusChangeValues => ({
    to_status: '',
    rationale: '',
    evidence_url: '',
    evidence_title: '',
    evidence_excerpt: '',
    evidence_ids: [],
});

const isUrl = (value: string) => {
    try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
        return false;
    }
};

/**
 * Client-side rules, the same as the API's: a new status different from the
 * current one, a rationale, and evidence (new or on record) for
 * partially_achieved, achieved and abandoned. Returns i18n keys by field.
 */
export const validateStatusChange = (values: StatusChangeValues, currentStatus?: string) => {
    const errors: Partial<Record<keyof StatusChangeValues | 'evidence', string>> = {};
    if (!values.to_status) errors.to_status = 'suivi.status_dialog.required';
    else if (values.to_status === currentStatus) errors.to_status = 'suivi.status_dialog.same_status';
    if (!values.rationale.trim()) errors.rationale = 'suivi.status_dialog.required';
    const hasNewEvidence = values.evidence_url.trim() !== '';
    if (hasNewEvidence && !isUrl(values.evidence_url.trim())) errors.evidence_url = 'suivi.status_dialog.invalid_url';
    if (EVIDENCE_REQUIRED_STATUSES.includes(values.to_status) && !hasNewEvidence && values.evidence_ids.length === 0) {
        errors.evidence_url = errors.evidence_url ?? 'suivi.status_dialog.required';
        errors.evidence = 'suivi.status_dialog.evidence_required';
    }
    return errors;
};

/** The body of POST /api/status_changes. */
export const buildStatusChange = (record: RaRecord, values: StatusChangeValues) => {
    const data: Record<string, unknown> = {
        commitment_id: record.id,
        to_status: values.to_status,
        rationale: values.rationale.trim(),
        expected_version: record.version,
    };
    if (values.evidence_url.trim()) {
        data.evidence = {
            url: values.evidence_url.trim(),
            title: values.evidence_title.trim() || undefined,
            excerpt: values.evidence_excerpt.trim() || undefined,
        };
    }
    if (values.evidence_ids.length) data.evidence_ids = values.evidence_ids;
    return data;
};

interface Props {
    record: RaRecord;
    open: boolean;
    onClose: () => void;
    onChanged?: (change: RaRecord) => void;
    existingEvidence?: { id: Identifier; title?: string; url: string }[];
}

export const ChangeStatusDialog = ({ record, open, onClose, onChanged, existingEvidence = [] }: Props) => {
    const translate = useTranslate();
    const dataProvider = useDataProvider();
    const [values, setValues] = useState<StatusChangeValues>(emptyValues);
    const [errors, setErrors] = useState<Record<string, string>>({});
    const [serverError, setServerError] = useState<string | null>(null);
    const [conflict, setConflict] = useState(false);
    const [saving, setSaving] = useState(false);
    const isSmall = useIsSmall();

    useEffect(() => {
        if (open) {
            setValues(emptyValues());
            setErrors({});
            setServerError(null);
            setConflict(false);
        }
    }, [open]);

    const set = (field: keyof StatusChangeValues) => (value: any) => setValues(v => ({ ...v, [field]: value }));
    const evidenceRequired = EVIDENCE_REQUIRED_STATUSES.includes(values.to_status);

    const submit = async (event: FormEvent) => {
        event.preventDefault();
        const found = validateStatusChange(values, record.status);
        setErrors(found as Record<string, string>);
        setServerError(null);
        setConflict(false);
        if (Object.keys(found).length) return;
        setSaving(true);
        try {
            const { data } = await dataProvider.create('status_changes', { data: buildStatusChange(record, values) });
            onChanged?.(data);
            onClose();
        } catch (e: any) {
            if (e?.status === 409) {
                setConflict(true);
            } else {
                const fieldErrors: Record<string, string> = {};
                const apiErrors = e?.body?.errors ?? {};
                for (const [field, message] of Object.entries(apiErrors)) {
                    const key = field.startsWith('evidence') ? 'evidence_url' : field;
                    fieldErrors[key] = String(message);
                }
                setErrors(fieldErrors);
                setServerError(e?.message ?? String(e));
            }
        } finally {
            setSaving(false);
        }
    };

    const msg = (field: string) => (errors[field] ? translate(errors[field], { _: errors[field] }) : undefined);
    const currentLabel = translate(`suivi.status.${record.status}`, { _: record.status ?? '' });

    return (
        <Dialog open={open} onClose={onClose} fullWidth fullScreen={isSmall} maxWidth="sm" aria-labelledby="change-status-title">
            <form onSubmit={submit} noValidate aria-label={translate('suivi.status_dialog.title')}>
                <DialogTitle id="change-status-title">{translate('suivi.status_dialog.title')}</DialogTitle>
                <DialogContent>
                    <Stack gap={2} sx={{ pt: 1 }}>
                        <Typography variant="body2">{translate('suivi.status_dialog.current', { status: currentLabel })}</Typography>
                        {conflict && (
                            <Alert
                                severity="warning"
                                role="alert"
                                data-testid="status-conflict"
                                action={
                                    <Button color="inherit" size="small" onClick={() => window.location.reload()}>
                                        {translate('suivi.commitments.reload')}
                                    </Button>
                                }
                            >
                                {translate('suivi.commitments.conflict')}
                            </Alert>
                        )}
                        {serverError && !conflict && (
                            <Alert severity="error" role="alert">
                                {serverError}
                            </Alert>
                        )}
                        <TextField
                            select
                            required
                            id="to_status"
                            label={translate('suivi.status_dialog.to_status')}
                            value={values.to_status}
                            onChange={e => set('to_status')(e.target.value)}
                            error={!!errors.to_status}
                            helperText={msg('to_status')}
                            slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
                        >
                            <option value="" />
                            {STATUSES.filter(s => s.id !== record.status).map(s => (
                                <option key={s.id} value={s.id}>
                                    {translate(`suivi.status.${s.id}`)}
                                </option>
                            ))}
                        </TextField>
                        <TextField
                            required
                            multiline
                            minRows={3}
                            id="rationale"
                            label={translate('suivi.status_dialog.rationale')}
                            value={values.rationale}
                            onChange={e => set('rationale')(e.target.value)}
                            error={!!errors.rationale}
                            helperText={msg('rationale') ?? translate('suivi.status_dialog.rationale_help')}
                        />
                        <FormLabel component="legend">{translate('suivi.status_dialog.evidence_section')}</FormLabel>
                        <Typography variant="body2" color={errors.evidence ? 'error' : 'text.secondary'} data-testid="evidence-hint">
                            {translate(evidenceRequired ? 'suivi.status_dialog.evidence_required' : 'suivi.status_dialog.evidence_optional')}
                        </Typography>
                        {existingEvidence.length > 0 && (
                            <FormGroup aria-label={translate('suivi.status_dialog.existing_evidence')}>
                                <FormLabel>{translate('suivi.status_dialog.existing_evidence')}</FormLabel>
                                {existingEvidence.map(ev => (
                                    <FormControlLabel
                                        key={ev.id}
                                        control={
                                            <Checkbox
                                                checked={values.evidence_ids.includes(ev.id)}
                                                onChange={e =>
                                                    set('evidence_ids')(
                                                        e.target.checked ? [...values.evidence_ids, ev.id] : values.evidence_ids.filter(i => i !== ev.id)
                                                    )
                                                }
                                            />
                                        }
                                        label={ev.title || ev.url}
                                    />
                                ))}
                            </FormGroup>
                        )}
                        <TextField
                            id="evidence_url"
                            type="url"
                            required={evidenceRequired && values.evidence_ids.length === 0}
                            label={translate('suivi.status_dialog.evidence_url')}
                            value={values.evidence_url}
                            onChange={e => set('evidence_url')(e.target.value)}
                            error={!!errors.evidence_url}
                            helperText={msg('evidence_url')}
                        />
                        <TextField
                            id="evidence_title"
                            label={translate('suivi.status_dialog.evidence_title')}
                            value={values.evidence_title}
                            onChange={e => set('evidence_title')(e.target.value)}
                        />
                        <TextField
                            id="evidence_excerpt"
                            multiline
                            minRows={2}
                            label={translate('suivi.status_dialog.evidence_excerpt')}
                            value={values.evidence_excerpt}
                            onChange={e => set('evidence_excerpt')(e.target.value)}
                        />
                    </Stack>
                </DialogContent>
                <DialogActions>
                    <Button onClick={onClose}>{translate('suivi.status_dialog.cancel')}</Button>
                    <Button type="submit" variant="contained" disabled={saving}>
                        {translate('suivi.status_dialog.submit')}
                    </Button>
                </DialogActions>
            </form>
        </Dialog>
    );
};

export default ChangeStatusDialog;
