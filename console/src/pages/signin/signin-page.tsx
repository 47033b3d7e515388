/**
 * @module Sign-in: email and password → a session token. Wrong credentials and rate limiting are explained
 * in place; a language picked here becomes the user's profile language.
 */
import {
  Alert,
  Anchor,
  Box,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { login } from '../../api/auth';
import { ApiError } from '../../api/client';
import type { Locale } from '../../api/types';
import { LanguageSwitcher } from '../../components/language-switcher';
import { Logo } from '../../components/logo';
import { useAuth } from '../../lib/auth-context';
import { errorMessage } from '../../lib/errors';

function signInErrorMessage(error: unknown, t: ReturnType<typeof useTranslation>['t']): string {
  if (error instanceof ApiError && error.status === 401) return t('signin.invalidCredentials');
  if (error instanceof ApiError && error.status === 429) return t('signin.tooManyAttempts');
  return errorMessage(error);
}

export function SignInPage() {
  const { t } = useTranslation();
  const { token, signIn } = useAuth();
  const location = useLocation();
  const [chosenLocale, setChosenLocale] = useState<Locale | undefined>();

  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (value) => (/^\S+@\S+$/.test(value.trim()) ? null : t('signin.emailInvalid')),
      password: (value) => (value ? null : t('signin.passwordRequired')),
    },
  });

  const mutation = useMutation({
    mutationFn: (values: { email: string; password: string }) => login(values.email.trim(), values.password),
    onSuccess: (response) => signIn(response, chosenLocale),
  });

  const from = (location.state as { from?: string } | null)?.from;
  if (token) return <Navigate to={from && from !== '/signin' ? from : '/customers'} replace />;

  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)">
      <Group justify="flex-end" p="md">
        <LanguageSwitcher onChosen={setChosenLocale} />
      </Group>
      <Center px="md" pb={80} pt={{ base: 0, sm: 40 }}>
        <Stack w="100%" maw={400} gap="lg">
          <Center>
            <Logo size={36} />
          </Center>
          <Paper withBorder shadow="sm" radius="md" p="xl">
            <form
              onSubmit={form.onSubmit((values) => mutation.mutate(values))}
              data-testid="signin-form"
              noValidate
            >
              <Stack>
                <div>
                  <Title order={3}>{t('signin.title')}</Title>
                  <Text c="dimmed" size="sm" mt={4}>
                    {t('signin.subtitle')}
                  </Text>
                </div>
                {mutation.isError && (
                  <Alert
                    color="red"
                    variant="light"
                    icon={<IconAlertTriangle size={18} />}
                    data-testid="signin-error"
                  >
                    {signInErrorMessage(mutation.error, t)}
                  </Alert>
                )}
                <TextInput
                  label={t('signin.email')}
                  type="email"
                  autoComplete="username"
                  autoFocus
                  required
                  data-testid="signin-email"
                  {...form.getInputProps('email')}
                />
                <PasswordInput
                  label={t('signin.password')}
                  autoComplete="current-password"
                  required
                  data-testid="signin-password"
                  {...form.getInputProps('password')}
                />
                <Button type="submit" fullWidth loading={mutation.isPending} data-testid="signin-submit">
                  {t('signin.submit')}
                </Button>
              </Stack>
            </form>
          </Paper>
          <Text c="dimmed" size="xs" ta="center">
            {t('signin.help')}{' '}
            <Anchor href="/docs" size="xs">
              {t('signin.apiDocs')}
            </Anchor>
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
