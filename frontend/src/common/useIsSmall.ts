import { useMediaQuery, type Theme } from '@mui/material';

/** True at phone width, where lists switch to SimpleList. */
export const useIsSmall = () => useMediaQuery<Theme>(theme => theme.breakpoints.down('sm'));
