import { usePermissions } from 'react-admin';
import { canEdit, isAdmin } from '../authProvider';

/** What the logged-in user may do, from the role returned by authProvider.getPermissions. */
export const useRole = () => {
    const { permissions, isPending } = usePermissions();
    return {
        role: permissions as string | undefined,
        canEdit: canEdit(permissions),
        isAdmin: isAdmin(permissions),
        isPending,
    };
};
