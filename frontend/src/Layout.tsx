import { useState, type ReactNode } from 'react';
import { Button, Menu, MenuItem } from '@mui/material';
import LanguageIcon from '@mui/icons-material/Translate';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { AppBar, Layout as RaLayout, LoadingIndicator, ToggleThemeButton, useLocaleState, useLocales, useTranslate } from 'react-admin';

/**
 * The language menu. (react-admin's LocalesMenuButton sets aria-label="" on its
 * button, which hides its name from screen readers.)
 */
export const LanguageMenu = () => {
    const translate = useTranslate();
    const locales = useLocales();
    const [locale, setLocale] = useLocaleState();
    const [anchor, setAnchor] = useState<HTMLElement | null>(null);
    const current = locales.find(l => l.locale === locale)?.name ?? locale;
    return (
        <>
            <Button
                color="inherit"
                startIcon={<LanguageIcon />}
                endIcon={<ExpandMoreIcon fontSize="small" />}
                aria-label={`${translate('suivi.language')} : ${current}`}
                aria-haspopup="menu"
                aria-controls={anchor ? 'language-menu' : undefined}
                aria-expanded={anchor ? 'true' : undefined}
                onClick={e => setAnchor(e.currentTarget)}
                data-testid="language-menu"
                sx={{ '& .language-name': { display: { xs: 'none', sm: 'inline' } } }}
            >
                <span className="language-name">{current}</span>
            </Button>
            <Menu id="language-menu" anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)}>
                {locales.map(l => (
                    <MenuItem
                        key={l.locale}
                        lang={l.locale}
                        selected={l.locale === locale}
                        onClick={() => {
                            setLocale(l.locale);
                            document.documentElement.lang = l.locale;
                            setAnchor(null);
                        }}
                    >
                        {l.name}
                    </MenuItem>
                ))}
            </Menu>
        </>
    );
};

const SuiviAppBar = () => (
    <AppBar
        toolbar={
            <>
                <LanguageMenu />
                <ToggleThemeButton />
                <LoadingIndicator />
            </>
        }
    />
);

export const Layout = ({ children }: { children: ReactNode }) => <RaLayout appBar={SuiviAppBar}>{children}</RaLayout>;

export default Layout;
