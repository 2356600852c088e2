import { useEffect, useState } from 'react';
import { Alert, Box, Card, CardActionArea, CardContent, Grid, LinearProgress, Link, List, ListItem, ListItemText, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { Title, useDataProvider, useGetMany, useTranslate } from 'react-admin';
import type { Stats, SuiviDataProvider } from '../dataProvider';
import { StatusChip, useFormatDate } from '../common/fields';
import { MissionCards } from './MissionCards';
import { CountBars } from './CountBars';
import { ChangesChart } from './ChangesChart';
import { commitmentsLink } from './links';

const Panel = ({ title, children }: { title: string; children: React.ReactNode }) => (
    <Card sx={{ height: '100%' }} component="section" aria-label={title}>
        <CardContent>
            <Typography variant="h6" component="h2" gutterBottom>
                {title}
            </Typography>
            {children}
        </CardContent>
    </Card>
);

const Figure = ({ label, value, to, testId }: { label: string; value: number; to: string; testId: string }) => (
    <Card>
        <CardActionArea component={RouterLink} to={to} data-testid={testId}>
            <CardContent>
                <Typography variant="overline" color="text.secondary">
                    {label}
                </Typography>
                <Typography variant="h3" component="p">
                    {value}
                </Typography>
            </CardContent>
        </CardActionArea>
    </Card>
);

export const RecentChanges = ({ changes }: { changes: Stats['recent_changes'] }) => {
    const translate = useTranslate();
    const format = useFormatDate();
    // The stats give commitment ids only: fetch their titles in one call.
    const ids = [...new Set((changes ?? []).map(c => c.commitment_id))];
    const { data: commitments = [] } = useGetMany('commitments', { ids }, { enabled: ids.length > 0 });
    const titles = new Map(commitments.map(c => [String(c.id), c.title as string]));
    if (!changes?.length) return <Typography color="text.secondary">{translate('suivi.dashboard.no_changes')}</Typography>;
    return (
        <List dense data-testid="recent-changes">
            {changes.map(change => (
                <ListItem key={change.id} alignItems="flex-start" disableGutters>
                    <ListItemText
                        primary={
                            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center' }}>
                                <Link component={RouterLink} to={`/commitments/${change.commitment_id}/show`}>
                                    {change.commitment_title ?? titles.get(String(change.commitment_id)) ?? `#${change.commitment_id}`}
                                </Link>
                                {change.from_status && <StatusChip value={change.from_status} />}
                                <span aria-hidden>→</span>
                                <StatusChip value={change.to_status} />
                            </Box>
                        }
                        secondary={`${format(change.changed_at)} · ${change.changed_by ?? ''} — ${change.rationale ?? ''}`}
                    />
                </ListItem>
            ))}
        </List>
    );
};

export const Dashboard = () => {
    const translate = useTranslate();
    const dataProvider = useDataProvider<SuiviDataProvider>();
    const [stats, setStats] = useState<Stats | null>(null);
    const [error, setError] = useState<string | null>(null);

    useEffect(() => {
        let cancelled = false;
        dataProvider
            .getStats()
            .then(s => !cancelled && setStats(s))
            .catch(e => !cancelled && setError(e?.message ?? translate('suivi.dashboard.loading_error')));
        return () => {
            cancelled = true;
        };
    }, [dataProvider, translate]);

    return (
        <Box sx={{ mt: 2, mb: 4 }}>
            <Title title="suivi.dashboard.title" />
            <Typography variant="h4" component="h1" gutterBottom>
                {translate('suivi.app_title')}
            </Typography>
            {error && <Alert severity="error">{error}</Alert>}
            {!stats && !error && <LinearProgress aria-label={translate('ra.page.loading')} />}
            {stats && (
                <Grid container spacing={2}>
                    <Grid size={12}>
                        <Typography variant="h6" component="h2" gutterBottom>
                            {translate('suivi.dashboard.mission_topics')}
                        </Typography>
                        <MissionCards byTopic={stats.by_topic ?? {}} />
                    </Grid>
                    <Grid size={{ xs: 6, md: 3 }}>
                        <Figure label={translate('suivi.dashboard.total')} value={stats.total ?? 0} to="/commitments" testId="stat-total" />
                    </Grid>
                    <Grid size={{ xs: 6, md: 3 }}>
                        <Figure label={translate('suivi.dashboard.overdue')} value={stats.overdue ?? 0} to={commitmentsLink({ overdue: true })} testId="stat-overdue" />
                    </Grid>
                    <Grid size={{ xs: 12, md: 6 }}>
                        <Panel title={translate('suivi.dashboard.changes_over_time')}>
                            <ChangesChart data={stats.changes_by_month ?? []} />
                        </Panel>
                    </Grid>
                    <Grid size={{ xs: 12, md: 4 }}>
                        <Panel title={translate('suivi.dashboard.by_status')}>
                            <CountBars counts={stats.by_status ?? {}} namespace="status" filterField="status" />
                        </Panel>
                    </Grid>
                    <Grid size={{ xs: 12, md: 4 }}>
                        <Panel title={translate('suivi.dashboard.by_topic')}>
                            <CountBars counts={stats.by_topic ?? {}} namespace="topic" filterField="topics" max={16} />
                        </Panel>
                    </Grid>
                    <Grid size={{ xs: 12, md: 4 }}>
                        <Panel title={translate('suivi.dashboard.by_actor')}>
                            <CountBars counts={stats.by_actor ?? {}} namespace="actor" filterField="actors" max={15} />
                        </Panel>
                    </Grid>
                    <Grid size={{ xs: 12, md: 8 }}>
                        <Panel title={translate('suivi.dashboard.recent_changes')}>
                            <RecentChanges changes={stats.recent_changes ?? []} />
                        </Panel>
                    </Grid>
                    <Grid size={{ xs: 12, md: 4 }}>
                        <Panel title={translate('suivi.dashboard.by_document')}>
                            <List dense>
                                {(stats.by_document ?? []).map(d => (
                                    <ListItem key={String(d.document_id)} disableGutters secondaryAction={<strong>{d.count}</strong>}>
                                        <Link component={RouterLink} to={commitmentsLink({ document_id: d.document_id })}>
                                            {d.title}
                                        </Link>
                                    </ListItem>
                                ))}
                            </List>
                            <Typography variant="subtitle2" component="h3" sx={{ mt: 2 }}>
                                {translate('suivi.dashboard.by_kind')}
                            </Typography>
                            <CountBars counts={stats.by_kind ?? {}} namespace="kind" filterField="kind" />
                        </Panel>
                    </Grid>
                </Grid>
            )}
        </Box>
    );
};

export default Dashboard;
