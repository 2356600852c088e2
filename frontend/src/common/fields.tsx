import { Chip, Link as MuiLink, Stack, type ChipProps } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useCreatePath, useLocaleState, useRecordContext, useResourceContext, useTranslate, type FieldProps } from 'react-admin';

/** Formats a date (or date-time) in the UI's current locale. */
export const useFormatDate = () => {
    const [locale] = useLocaleState();
    return (value: string | null | undefined, withTime = true) => {
        if (!value) return '';
        // A bare year or year-month (deadlines) is shown as is.
        if (/^\d{4}(-\d{2})?$/.test(value)) return value;
        const date = new Date(value);
        if (Number.isNaN(date.getTime())) return value;
        return withTime
            ? date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })
            : date.toLocaleDateString(locale, { dateStyle: 'medium' });
    };
};

export const LocaleDateField = ({ source, showTime = true }: FieldProps & { source: string; showTime?: boolean }) => {
    const record = useRecordContext();
    const format = useFormatDate();
    const value = record?.[source];
    if (!value) return null;
    return (
        <time dateTime={String(value)} style={{ whiteSpace: 'nowrap' }}>
            {format(String(value), showTime)}
        </time>
    );
};

const STATUS_COLORS: Record<string, ChipProps['color']> = {
    not_assessed: 'default',
    not_started: 'default',
    in_progress: 'info',
    stalled: 'warning',
    partially_achieved: 'primary',
    achieved: 'success',
    abandoned: 'error',
    // documents and deliveries
    queued: 'default',
    processing: 'info',
    done: 'success',
    failed: 'error',
    pending: 'default',
    succeeded: 'success',
    failing: 'warning',
    dead: 'error',
    archived: 'success',
};

/** A coloured chip for a status value, labelled from the `namespace` vocabulary. */
export const StatusChip = ({ value, namespace = 'status', size = 'small' }: { value?: string | null; namespace?: string; size?: ChipProps['size'] }) => {
    const translate = useTranslate();
    if (!value) return null;
    return <Chip size={size} color={STATUS_COLORS[value] ?? 'default'} label={translate(`suivi.${namespace}.${value}`, { _: value })} />;
};

export const StatusChipField = ({ source, namespace = 'status' }: FieldProps & { source: string; namespace?: string }) => {
    const record = useRecordContext();
    return <StatusChip value={record?.[source]} namespace={namespace} />;
};

/** Chips for a list of vocabulary terms (topics, actors, event types). */
export const TermsField = ({ source, namespace }: FieldProps & { source: string; namespace: string }) => {
    const record = useRecordContext();
    const translate = useTranslate();
    const values: string[] = (source.split('.').reduce((o: any, k) => o?.[k], record) as string[]) ?? [];
    if (!values.length) return null;
    return (
        <Stack direction="row" flexWrap="wrap" gap={0.5} component="span">
            {values.map(v => (
                <Chip key={v} size="small" variant="outlined" label={translate(`suivi.${namespace}.${v}`, { _: v })} />
            ))}
        </Stack>
    );
};

/** A single vocabulary term, translated. */
export const TermField = ({ source, namespace }: FieldProps & { source: string; namespace: string }) => {
    const record = useRecordContext();
    const translate = useTranslate();
    const value = record?.[source];
    if (!value) return null;
    return <span>{translate(`suivi.${namespace}.${value}`, { _: String(value) })}</span>;
};

/**
 * A record's text as a real link to its page, so that lists are usable with the
 * keyboard (Datagrid's rowClick only answers the mouse).
 */
export const LinkToRecordField = ({
    source,
    fallback,
    link = 'show',
}: FieldProps & { source: string; fallback?: string; link?: 'show' | 'edit' }) => {
    const record = useRecordContext();
    const resource = useResourceContext();
    const createPath = useCreatePath();
    if (!record) return null;
    const text = record[source] || (fallback ? record[fallback] : '') || `#${record.id}`;
    return (
        <MuiLink component={RouterLink} to={createPath({ resource, id: record.id, type: link })} onClick={e => e.stopPropagation()} underline="hover" color="inherit">
            {String(text)}
        </MuiLink>
    );
};
