import AssignmentIcon from '@mui/icons-material/Assignment';
import { CommitmentList } from './CommitmentList';
import { CommitmentShow } from './CommitmentShow';
import { CommitmentEdit } from './CommitmentEdit';

export default {
    list: CommitmentList,
    show: CommitmentShow,
    edit: CommitmentEdit,
    icon: AssignmentIcon,
    recordRepresentation: 'title',
};
