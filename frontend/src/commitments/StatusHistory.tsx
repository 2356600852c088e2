import { Box, Link, Typography } from '@mui/material';
import { useGetList, useTranslate, type Identifier } from 'react-admin';
import { StatusChip, useFormatDate } from '../common/fields';
import type { StatusChange } from '../dataProvider';

/** A vertical timeline of a commitment's status changes, newest first. */
export const StatusTimeline = ({ changes }: { changes: StatusChange[] }) => {
    const translate = useTranslate();
    const format = useFormatDate();
    if (!changes.length) return <Typography color="text.secondary">{translate('suivi.commitments.no_history')}</Typography>;
    return (
        <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }} aria-label={translate('suivi.commitments.history')} data-testid="status-history">
            {changes.map(change => (
                <Box
                    component="li"
                    key={change.id}
                    sx={{ position: 'relative', pl: 3, pb: 2, borderLeft: '2px solid', borderColor: 'divider', ml: 1 }}
                    data-testid="status-history-item"
                >
                    <Box sx={{ position: 'absolute', left: -7, top: 4, width: 12, height: 12, borderRadius: '50%', bgcolor: 'primary.main' }} aria-hidden />
                    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1 }}>
                        {change.from_status && <StatusChip value={change.from_status} />}
                        {change.from_status && <span aria-hidden>→</span>}
                        <StatusChip value={change.to_status} />
                        <Typography variant="body2" color="text.secondary" component="span">
                            <time dateTime={change.changed_at}>{format(change.changed_at)}</time>
                            {change.changed_by ? ` · ${translate('suivi.commitments.by', { user: change.changed_by })}` : ''}
                        </Typography>
                    </Box>
                    <Typography sx={{ mt: 0.5, whiteSpace: 'pre-wrap' }}>{change.rationale}</Typography>
                    {(change.evidence ?? []).map((ev, i) => (
                        <Typography variant="body2" key={ev.id ?? i}>
                            <Link href={ev.url} target="_blank" rel="noopener noreferrer">
                                {ev.title || ev.url}
                            </Link>
                        </Typography>
                    ))}
                </Box>
            ))}
        </Box>
    );
};

export const StatusHistory = ({ commitmentId }: { commitmentId: Identifier }) => {
    const { data = [], isPending } = useGetList<StatusChange & { id: Identifier }>('status_changes', {
        filter: { commitment_id: commitmentId },
        sort: { field: 'changed_at', order: 'DESC' },
        pagination: { page: 1, perPage: 200 },
    });
    if (isPending) return null;
    const sorted = [...data].sort((a, b) => String(b.changed_at).localeCompare(String(a.changed_at)));
    return <StatusTimeline changes={sorted} />;
};

export default StatusHistory;
