import { Box, Link, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import { commitmentsLink } from './links';

/**
 * Counts as horizontal bars, largest first; each label links to the list
 * filtered on that value. Plain HTML, so it reads well with a screen reader.
 */
export const CountBars = ({
    counts,
    namespace,
    filterField,
    max = 12,
}: {
    counts: Record<string, number>;
    namespace: string;
    filterField: string;
    max?: number;
}) => {
    const translate = useTranslate();
    const entries = Object.entries(counts ?? {})
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, max);
    const top = Math.max(1, ...entries.map(([, n]) => n));
    if (!entries.length) return <Typography color="text.secondary">—</Typography>;
    return (
        <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
            {entries.map(([key, n]) => (
                <Box component="li" key={key} sx={{ mb: 1 }}>
                    <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 1 }}>
                        <Link component={RouterLink} to={commitmentsLink({ [filterField]: key })} variant="body2">
                            {translate(`suivi.${namespace}.${key}`, { _: key })}
                        </Link>
                        <Typography variant="body2" component="span" fontWeight="bold">
                            {n}
                        </Typography>
                    </Box>
                    <Box sx={{ height: 6, bgcolor: 'action.hover', borderRadius: 3 }} aria-hidden>
                        <Box sx={{ height: 6, width: `${(100 * n) / top}%`, bgcolor: 'primary.main', borderRadius: 3 }} />
                    </Box>
                </Box>
            ))}
        </Box>
    );
};

export default CountBars;
