import { ReferenceField, Show, SimpleShowLayout, TextField, UrlField, useRecordContext } from 'react-admin';
import { LocaleDateField, StatusChipField } from '../common/fields';
import { ArchiveButton } from '../commitments/EvidenceSection';

const Archive = (_: { label?: string }) => {
    const record = useRecordContext();
    return record?.archive_status === 'archived' ? <ArchiveButton id={record.id} /> : null;
};

export const EvidenceShow = () => (
    <Show>
        <SimpleShowLayout>
            <TextField source="title" />
            <UrlField source="url" target="_blank" rel="noopener noreferrer" />
            <ReferenceField source="commitment_id" reference="commitments" link="show" />
            <TextField source="excerpt" />
            <LocaleDateField source="published_at" showTime={false} />
            <TextField source="added_by" />
            <LocaleDateField source="added_at" />
            <StatusChipField source="archive_status" namespace="archive_status" />
            <LocaleDateField source="archived_at" />
            <TextField source="sha256" />
            <Archive label="suivi.evidence.archive_title" />
        </SimpleShowLayout>
    </Show>
);

export default EvidenceShow;
