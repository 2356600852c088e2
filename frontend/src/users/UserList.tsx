import { BooleanField, Datagrid, List, SimpleList, useTranslate } from 'react-admin';
import { LinkToRecordField, LocaleDateField, TermField } from '../common/fields';
import { useIsSmall } from '../common/useIsSmall';

export const UserList = () => {
    const isSmall = useIsSmall();
    const translate = useTranslate();
    return (
        <List sort={{ field: 'username', order: 'ASC' }} exporter={false}>
            {isSmall ? (
                <SimpleList primaryText={r => r.username} secondaryText={r => translate(`suivi.role.${r.role}`, { _: r.role })} linkType="edit" />
            ) : (
                <Datagrid rowClick="edit" bulkActionButtons={false}>
                    <LinkToRecordField source="username" link="edit" />
                    <TermField source="role" namespace="role" />
                    <BooleanField source="active" />
                    <LocaleDateField source="created_at" />
                </Datagrid>
            )}
        </List>
    );
};

export default UserList;
