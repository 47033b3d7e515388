/**
 * @module The language menu. Switching applies at once and is remembered on this device; the caller can
 * also save it elsewhere (the signed-in user's profile).
 */
import { Box, Button, Menu } from '@mantine/core';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { currentLanguage, setLanguage } from '../i18n';
import { LANGUAGES } from '../i18n/languages';

interface LanguageSwitcherProps {
  onChosen?: (language: Locale) => void;
}

export function LanguageSwitcher({ onChosen }: LanguageSwitcherProps) {
  const { t } = useTranslation();
  const current = currentLanguage();
  const label = LANGUAGES.find((language) => language.code === current)?.label ?? current;
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconLanguage size={18} />}
          aria-label={t('language.label')}
          data-testid="language-switcher"
          data-language={current}
        >
          {/* On phones the icon alone names the menu; the header has no room for the label. */}
          <Box component="span" visibleFrom="xs">
            {label}
          </Box>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('language.label')}</Menu.Label>
        {LANGUAGES.map((language) => (
          <Menu.Item
            key={language.code}
            lang={language.code}
            rightSection={language.code === current ? <IconCheck size={16} /> : null}
            onClick={() => {
              // Picking the language already shown still counts as a choice: it may have come from the browser.
              if (language.code !== current) setLanguage(language.code);
              onChosen?.(language.code);
            }}
            data-testid={`language-option-${language.code}`}
          >
            {language.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
