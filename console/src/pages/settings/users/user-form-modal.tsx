/**
 * @module Invite a staff member: email, name, role, an initial password they change later, and language.
 */
import { Alert, Button, Group, Modal, NativeSelect, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateUser } from '../../../api/users';
import { LOCALES, ROLES, type Locale, type Role } from '../../../api/types';
import { currentLanguage } from '../../../i18n';
import { LANGUAGES } from '../../../i18n/languages';
import { applyFieldErrors, errorMessage } from '../../../lib/errors';
import { notifyError, notifySuccess } from '../../../lib/notify';

/** The server's minimum (POST /v1/users). */
export const MIN_PASSWORD_LENGTH = 10;

interface UserFormModalProps {
  opened: boolean;
  onClose: () => void;
}

interface Values {
  email: string;
  name: string;
  role: Role;
  password: string;
  locale: Locale;
}

export function UserFormModal({ opened, onClose }: UserFormModalProps) {
  const { t } = useTranslation();
  // The form lives inside the modal body, which mounts on every opening: each invite starts blank.
  return (
    <Modal opened={opened} onClose={onClose} title={t('users.createTitle')} centered>
      <UserForm onClose={onClose} />
    </Modal>
  );
}

function UserForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const [formError, setFormError] = useState<unknown>(null);

  const form = useForm<Values>({
    initialValues: { email: '', name: '', role: 'agent', password: '', locale: currentLanguage() },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('users.emailInvalid')),
      name: (value) => (value.trim() ? null : t('users.nameRequired')),
      password: (value) =>
        value.length >= MIN_PASSWORD_LENGTH
          ? null
          : t('users.passwordTooShort', { count: MIN_PASSWORD_LENGTH }),
    },
  });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    create.mutate(
      { ...values, email: values.email.trim(), name: values.name.trim() },
      {
        onSuccess: (user) => {
          notifySuccess(t('users.created', { name: user.name }));
          onClose();
        },
        onError: (error) => {
          applyFieldErrors(form, error, ['email', 'name', 'role', 'password', 'locale']);
          setFormError(error);
          notifyError(error, t('users.createFailed'));
        },
      },
    );
  });

  return (
    <form onSubmit={submit} data-testid="user-modal" noValidate>
      <Stack>
        {formError !== null && (
          <Alert color="red" variant="light" data-testid="user-form-error">
            {errorMessage(formError)}
          </Alert>
        )}
        <TextInput
          label={t('users.email')}
          type="email"
          required
          autoComplete="off"
          maxLength={320}
          data-testid="user-email-input"
          {...form.getInputProps('email')}
        />
        <TextInput
          label={t('users.name')}
          required
          maxLength={200}
          data-testid="user-name-input"
          {...form.getInputProps('name')}
        />
        <Group grow align="flex-start">
          <NativeSelect
            label={t('users.role')}
            data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            data-testid="user-role-select"
            {...form.getInputProps('role')}
          />
          <NativeSelect
            label={t('users.language')}
            data={LOCALES.map((code) => ({
              value: code,
              label: LANGUAGES.find((language) => language.code === code)?.label ?? code,
            }))}
            data-testid="user-locale-select"
            {...form.getInputProps('locale')}
          />
        </Group>
        <PasswordInput
          label={t('users.initialPassword')}
          description={t('users.initialPasswordHint', { count: MIN_PASSWORD_LENGTH })}
          required
          autoComplete="new-password"
          data-testid="user-password-input"
          {...form.getInputProps('password')}
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="user-submit">
            {t('users.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
