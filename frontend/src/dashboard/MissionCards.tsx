import { Card, CardActionArea, CardContent, Grid, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import { MISSION_TOPICS } from '../vocabularies';
import { commitmentsLink } from './links';

/** The four mission topics up front, each linking to the filtered commitments list. */
export const MissionCards = ({ byTopic }: { byTopic: Record<string, number> }) => {
    const translate = useTranslate();
    return (
        <Grid container spacing={2} component="section" aria-label={translate('suivi.dashboard.mission_topics')}>
            {MISSION_TOPICS.map(topic => {
                const count = byTopic[topic] ?? 0;
                return (
                    <Grid key={topic} size={{ xs: 12, sm: 6, md: 3 }}>
                        <Card sx={{ height: '100%', borderTop: '4px solid', borderColor: 'primary.main' }}>
                            <CardActionArea
                                component={RouterLink}
                                to={commitmentsLink({ topics: topic })}
                                sx={{ height: '100%' }}
                                aria-label={`${translate(`suivi.topic.${topic}`)} : ${translate('suivi.dashboard.see_list', { count })}`}
                                data-testid={`mission-${topic}`}
                            >
                                <CardContent>
                                    <Typography variant="overline" color="text.secondary">
                                        {translate(`suivi.topic.${topic}`)}
                                    </Typography>
                                    <Typography variant="h3" component="p">
                                        {count}
                                    </Typography>
                                    <Typography variant="body2" color="primary">
                                        {translate('suivi.dashboard.see_list', { count })}
                                    </Typography>
                                </CardContent>
                            </CardActionArea>
                        </Card>
                    </Grid>
                );
            })}
        </Grid>
    );
};

export default MissionCards;
