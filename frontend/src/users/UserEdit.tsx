import { BooleanInput, Create, Edit, PasswordInput, SelectInput, SimpleForm, TextInput, required, type RaRecord } from 'react-admin';
import { choices } from '../vocabularies';

export const UserCreate = () => (
    <Create redirect="list">
        <SimpleForm defaultValues={{ role: 'viewer', active: true }}>
            <TextInput source="username" validate={required()} autoComplete="off" />
            <PasswordInput source="password" validate={required()} autoComplete="new-password" />
            <SelectInput source="role" choices={choices('role')} validate={required()} />
            <BooleanInput source="active" />
        </SimpleForm>
    </Create>
);

/** An empty password is not sent: the user keeps the old one. */
const withoutEmptyPassword = ({ password, ...rest }: RaRecord) => (password ? { ...rest, password } : rest);

export const UserEdit = () => (
    <Edit mutationMode="pessimistic" transform={withoutEmptyPassword}>
        <SimpleForm>
            <TextInput source="username" disabled />
            <SelectInput source="role" choices={choices('role')} validate={required()} />
            <BooleanInput source="active" />
            <PasswordInput source="password" helperText="suivi.users.password_help" autoComplete="new-password" />
        </SimpleForm>
    </Edit>
);

export default UserEdit;
