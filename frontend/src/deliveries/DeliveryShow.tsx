import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import {
    Labeled,
    NumberField,
    ReferenceField,
    Show,
    SimpleShowLayout,
    TextField,
    TopToolbar,
    ListButton,
    useRecordContext,
    useTranslate,
} from 'react-admin';
import { LocaleDateField, StatusChipField, useFormatDate } from '../common/fields';
import { RedeliverButton } from './RedeliverButton';

interface Attempt {
    at: string;
    response_code: number | null;
    latency_ms: number | null;
    error: string | null;
    response_body: string | null;
}

export const AttemptLog = (_: { label?: string }) => {
    const record = useRecordContext();
    const translate = useTranslate();
    const format = useFormatDate();
    const attempts: Attempt[] = record?.attempt_log ?? [];
    if (!attempts.length) return <Typography color="text.secondary">{translate('suivi.deliveries.no_attempts')}</Typography>;
    return (
        <Table size="small" aria-label={translate('resources.deliveries.fields.attempt_log')} data-testid="attempt-log">
            <TableHead>
                <TableRow>
                    <TableCell>#</TableCell>
                    <TableCell>{translate('suivi.deliveries.attempt_at')}</TableCell>
                    <TableCell>{translate('suivi.deliveries.response_code')}</TableCell>
                    <TableCell>{translate('suivi.deliveries.latency')}</TableCell>
                    <TableCell>{translate('suivi.deliveries.error')}</TableCell>
                    <TableCell>{translate('suivi.deliveries.response_body')}</TableCell>
                </TableRow>
            </TableHead>
            <TableBody>
                {attempts.map((a, i) => (
                    <TableRow key={i}>
                        <TableCell>{i + 1}</TableCell>
                        <TableCell>{format(a.at)}</TableCell>
                        <TableCell>{a.response_code ?? '—'}</TableCell>
                        <TableCell>{a.latency_ms != null ? Math.round(a.latency_ms) : '—'}</TableCell>
                        <TableCell>{a.error ?? ''}</TableCell>
                        <TableCell>
                            <Typography component="pre" variant="caption" sx={{ whiteSpace: 'pre-wrap', maxWidth: 360, maxHeight: 160, overflow: 'auto', m: 0 }}>
                                {a.response_body ?? ''}
                            </Typography>
                        </TableCell>
                    </TableRow>
                ))}
            </TableBody>
        </Table>
    );
};

const Actions = () => (
    <TopToolbar>
        <ListButton />
        <RedeliverButton />
    </TopToolbar>
);

export const DeliveryShow = () => (
    <Show actions={<Actions />}>
        <SimpleShowLayout>
            <ReferenceField source="subscription_id" reference="subscriptions" link="edit" />
            <TextField source="event_type" />
            <TextField source="event_id" />
            <StatusChipField source="status" namespace="delivery_status" />
            <NumberField source="attempts" />
            <TextField source="last_response_code" emptyText="—" />
            <TextField source="last_error" emptyText="—" />
            <LocaleDateField source="next_attempt_at" />
            <LocaleDateField source="created_at" />
            <LocaleDateField source="updated_at" />
            <Labeled label="resources.deliveries.fields.attempt_log" fullWidth>
                <AttemptLog />
            </Labeled>
        </SimpleShowLayout>
    </Show>
);

export default DeliveryShow;
