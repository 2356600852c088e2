import PeopleIcon from '@mui/icons-material/People';
import { UserList } from './UserList';
import { UserCreate, UserEdit } from './UserEdit';

export default {
    list: UserList,
    create: UserCreate,
    edit: UserEdit,
    icon: PeopleIcon,
    recordRepresentation: 'username',
};
