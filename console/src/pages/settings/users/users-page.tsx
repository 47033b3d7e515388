/**
 * @module Settings → Users & roles: staff accounts (invite, change role, deactivate or reactivate) and the
 * read-only table of what each role may do.
 */
import {
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconPlus, IconUserShield } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUpdateUser, useUsers } from '../../../api/users';
import { ROLES, type Role, type User } from '../../../api/types';
import { ActiveBadge } from '../../../components/active-badge';
import { ConfirmModal } from '../../../components/confirm-modal';
import { ListState, LoadMore } from '../../../components/list-state';
import { PageHeader } from '../../../components/page-header';
import { useAuth } from '../../../lib/auth-context';
import { formatDateTime } from '../../../lib/format';
import { useTarget } from '../../../lib/use-target';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { useCan } from '../../../lib/permissions';
import { RolesMatrix } from './roles-matrix';
import { UserFormModal } from './user-form-modal';

export function UsersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const users = useUsers();
  const update = useUpdateUser();
  const canWrite = useCan()('users:write');
  const [inviteOpened, setInviteOpened] = useState(false);
  const deactivating = useTarget<User>();

  const changeRole = (user: User, role: Role) =>
    update.mutate(
      { id: user.id, patch: { role } },
      {
        onSuccess: (saved) =>
          notifySuccess(t('users.roleChanged', { name: saved.name, role: t(`roles.${saved.role}`) })),
        onError: (error) => notifyError(error, t('users.updateFailed')),
      },
    );

  const setActive = (user: User, active: boolean) =>
    update.mutate(
      { id: user.id, patch: { active } },
      {
        onSuccess: (saved) => {
          notifySuccess(
            saved.active
              ? t('users.reactivated', { name: saved.name })
              : t('users.deactivated', { name: saved.name }),
          );
          deactivating.close();
        },
        onError: (error) => notifyError(error, t('users.updateFailed')),
      },
    );

  // The header button and the empty state's call to action share a look but not a test id.
  const inviteButton = (testId = 'user-create-button') =>
    canWrite && (
      <Button leftSection={<IconPlus size={16} />} onClick={() => setInviteOpened(true)} data-testid={testId}>
        {t('users.create')}
      </Button>
    );

  return (
    <Stack gap="xl">
      <div>
        <PageHeader title={t('users.title')} description={t('users.subtitle')} actions={inviteButton()} />
        <ListState
          isPending={users.isPending}
          error={users.error}
          onRetry={() => void users.refetch()}
          isEmpty={users.items.length === 0}
          emptyIcon={<IconUserShield size={28} />}
          emptyTitle={t('users.emptyTitle')}
          emptyDescription={t('users.emptyBody')}
          emptyAction={inviteButton('user-create-button-empty')}
        >
          <Paper withBorder radius="md">
            <Table.ScrollContainer type="native" minWidth={800}>
              <Table verticalSpacing="sm" highlightOnHover data-testid="users-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('users.name')}</Table.Th>
                    <Table.Th>{t('users.role')}</Table.Th>
                    <Table.Th>{t('common.status')}</Table.Th>
                    <Table.Th>{t('users.lastLogin')}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.items.map((user) => {
                    const isMe = user.id === me.data?.id;
                    return (
                      <Table.Tr
                        key={user.id}
                        data-testid="user-row"
                        data-user-id={user.id}
                        data-email={user.email}
                      >
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            <Text fw={500} size="sm">
                              {user.name}
                            </Text>
                            {isMe && (
                              <Badge size="xs" variant="light">
                                {t('users.you')}
                              </Badge>
                            )}
                          </Group>
                          <Text size="xs" c="dimmed">
                            {user.email}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label={t('users.ownRoleLocked')} disabled={!isMe} withArrow>
                            <NativeSelect
                              size="xs"
                              w={160}
                              aria-label={t('users.changeRole', { name: user.name })}
                              value={user.role}
                              disabled={isMe || !user.active || !canWrite}
                              onChange={(event) => changeRole(user, event.currentTarget.value as Role)}
                              data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
                              data-testid="user-row-role"
                            />
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>
                          <ActiveBadge active={user.active} />
                        </Table.Td>
                        <Table.Td>
                          <Text
                            size="sm"
                            c={user.last_login_at ? undefined : 'dimmed'}
                            style={{ whiteSpace: 'nowrap' }}
                          >
                            {user.last_login_at ? formatDateTime(user.last_login_at) : t('common.never')}
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">
                          {!canWrite || isMe ? null : user.active ? (
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() => deactivating.open(user)}
                              data-testid="user-row-deactivate"
                            >
                              {t('users.deactivate')}
                            </Button>
                          ) : (
                            <Button
                              size="xs"
                              variant="subtle"
                              onClick={() => setActive(user, true)}
                              data-testid="user-row-reactivate"
                            >
                              {t('users.reactivate')}
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <LoadMore {...users} />
        </ListState>
      </div>

      <RolesMatrix />

      <UserFormModal opened={inviteOpened} onClose={() => setInviteOpened(false)} />
      <ConfirmModal
        opened={deactivating.opened}
        title={t('users.deactivateTitle')}
        message={t('users.deactivateBody', { name: deactivating.target?.name ?? '' })}
        confirmLabel={t('users.deactivate')}
        danger
        loading={update.isPending}
        onConfirm={() => deactivating.target && setActive(deactivating.target, false)}
        onClose={deactivating.close}
      />
    </Stack>
  );
}
