import DescriptionIcon from '@mui/icons-material/Description';
import { DocumentList } from './DocumentList';
import { DocumentShow } from './DocumentShow';
import { DocumentUpload } from './DocumentUpload';

export default {
    list: DocumentList,
    show: DocumentShow,
    create: DocumentUpload,
    icon: DescriptionIcon,
    recordRepresentation: 'title',
};
