/**
 * @module Success and failure toasts (Mantine notifications) with one look across the console.
 */
import { notifications } from '@mantine/notifications';
import { errorMessage, errorTitle } from './errors';

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 4000, withBorder: true });
}

export function notifyError(error: unknown, title?: string): void {
  notifications.show({
    color: 'red',
    title: title ?? errorTitle(error),
    message: errorMessage(error),
    autoClose: 8000,
    withBorder: true,
  });
}
