import { Datagrid, List, ReferenceField, SimpleList, TextField, UrlField } from 'react-admin';
import { LinkToRecordField, LocaleDateField, StatusChipField } from '../common/fields';
import { useIsSmall } from '../common/useIsSmall';

export const EvidenceList = () => {
    const isSmall = useIsSmall();
    return (
        <List sort={{ field: 'added_at', order: 'DESC' }} exporter={false}>
            {isSmall ? (
                <SimpleList primaryText={r => r.title || r.url} secondaryText={r => r.url} linkType="show" />
            ) : (
                <Datagrid rowClick="show" bulkActionButtons={false}>
                    <LinkToRecordField source="title" fallback="url" />
                    <UrlField source="url" target="_blank" rel="noopener noreferrer" sortable={false} />
                    <ReferenceField source="commitment_id" reference="commitments" link="show" />
                    <StatusChipField source="archive_status" namespace="archive_status" sortable={false} />
                    <TextField source="added_by" sortable={false} />
                    <LocaleDateField source="added_at" />
                </Datagrid>
            )}
        </List>
    );
};

export default EvidenceList;
