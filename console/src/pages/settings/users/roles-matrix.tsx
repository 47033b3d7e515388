/**
 * @module The role → permission table from `/v1/roles`, read-only: which role may do what.
 */
import { Paper, Table, Text, ThemeIcon } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useRoles } from '../../../api/users';
import type en from '../../../i18n/en.json';
import { ROLES } from '../../../api/types';
import { ListState } from '../../../components/list-state';
import { PageHeader } from '../../../components/page-header';

/** Whether a role's grants cover a permission, honouring `*` and `area:*` wildcards should the server use them. */
function covers(granted: Set<string> | undefined, permission: string): boolean {
  if (!granted) return false;
  if (granted.has(permission) || granted.has('*')) return true;
  const area = permission.split(':')[0];
  return granted.has(`${area}:*`);
}

type PermissionKey = keyof (typeof en)['permissions'];

/** `api_keys:write` → `api_keys_write`: i18next reads `:` as a namespace separator. Unknown ones fall back to the server's text. */
function permissionKey(name: string): PermissionKey {
  return name.replace(/:/g, '_') as PermissionKey;
}

export function RolesMatrix() {
  const { t } = useTranslation();
  const roles = useRoles();
  const grants = new Map((roles.data?.data ?? []).map((grant) => [grant.role, new Set(grant.permissions)]));
  const roleOrder = [
    ...ROLES.filter((role) => grants.has(role)),
    ...[...grants.keys()].filter((r) => !ROLES.includes(r)),
  ];

  return (
    <div>
      <PageHeader title={t('roles.title')} description={t('roles.subtitle')} />
      <ListState
        isPending={roles.isPending}
        error={roles.error}
        onRetry={() => void roles.refetch()}
        isEmpty={(roles.data?.permissions.length ?? 0) === 0}
        emptyTitle={t('roles.emptyTitle')}
        emptyDescription={t('roles.emptyBody')}
      >
        <Paper withBorder radius="md">
          <Table.ScrollContainer type="native" minWidth={720}>
            <Table striped verticalSpacing={6} data-testid="roles-matrix">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('roles.permission')}</Table.Th>
                  {roleOrder.map((role) => (
                    <Table.Th key={role} ta="center">
                      {t(`roles.${role}`, { defaultValue: role })}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(roles.data?.permissions ?? []).map((permission) => (
                  <Table.Tr
                    key={permission.name}
                    data-testid="roles-matrix-row"
                    data-permission={permission.name}
                  >
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {permission.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t(`permissions.${permissionKey(permission.name)}`, {
                          defaultValue: permission.description,
                        })}
                      </Text>
                    </Table.Td>
                    {roleOrder.map((role) => {
                      const granted = covers(grants.get(role), permission.name);
                      return (
                        <Table.Td
                          key={role}
                          ta="center"
                          aria-label={granted ? t('roles.granted') : t('roles.notGranted')}
                        >
                          {granted ? (
                            <ThemeIcon size={22} radius="xl" color="teal" variant="light" mx="auto">
                              <IconCheck size={14} />
                            </ThemeIcon>
                          ) : (
                            <Text c="dimmed" size="sm">
                              –
                            </Text>
                          )}
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      </ListState>
    </div>
  );
}
