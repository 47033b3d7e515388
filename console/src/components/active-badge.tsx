/**
 * @module "Active" / "Inactive" in one colour code across channels, users and webhooks.
 */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={active ? 'teal' : 'gray'} variant="light" data-testid="active-badge" data-active={active}>
      {active ? t('common.active') : t('common.inactive')}
    </Badge>
  );
}
