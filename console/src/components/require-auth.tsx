/**
 * @module Guards the signed-in part of the console: without a session, go to sign-in (and come back after);
 * while the user loads, a spinner; if the user cannot be loaded, say so.
 */
import { Button, Center, Container, Loader, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from '../lib/auth-context';
import { ErrorAlert } from './error-alert';

export function RequireAuth() {
  const { t } = useTranslation();
  const { token, me, signOut } = useAuth();
  const location = useLocation();

  if (!token) return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;

  if (me.isPending) {
    return (
      <Center h="100vh" data-testid="app-loading">
        <Loader />
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Container size="xs" py={80}>
        <Stack>
          <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
          <Button variant="default" onClick={() => void signOut()}>
            {t('user.signOut')}
          </Button>
        </Stack>
      </Container>
    );
  }
  return <Outlet />;
}
