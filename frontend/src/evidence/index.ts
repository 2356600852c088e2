import FactCheckIcon from '@mui/icons-material/FactCheck';
import { EvidenceList } from './EvidenceList';
import { EvidenceShow } from './EvidenceShow';

export default {
    list: EvidenceList,
    show: EvidenceShow,
    icon: FactCheckIcon,
    recordRepresentation: 'title',
};
