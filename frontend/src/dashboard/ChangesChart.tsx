import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Typography } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';

const monthLabel = (month: string, locale: string) => {
    const [y, m] = month.split('-').map(Number);
    if (!y || !m) return month;
    return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
};

/** Status changes per month (GET /api/stats → changes_by_month). */
export const ChangesChart = ({ data }: { data: { month: string; count: number }[] }) => {
    const translate = useTranslate();
    const [locale] = useLocaleState();
    if (!data?.length) return <Typography color="text.secondary">{translate('suivi.dashboard.no_changes')}</Typography>;
    const rows = data.map(d => ({ ...d, label: monthLabel(d.month, locale) }));
    return (
        <div role="img" aria-label={`${translate('suivi.dashboard.changes_over_time')}: ${rows.map(r => `${r.label} ${r.count}`).join(', ')}`} style={{ width: '100%', height: 240 }}>
            <ResponsiveContainer width="100%" height="100%">
                <BarChart data={rows} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="label" fontSize={12} />
                    <YAxis allowDecimals={false} fontSize={12} />
                    <Tooltip />
                    <Bar dataKey="count" name={translate('suivi.dashboard.changes')} fill="#1976d2" />
                </BarChart>
            </ResponsiveContainer>
        </div>
    );
};

export default ChangesChart;
