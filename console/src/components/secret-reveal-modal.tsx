/**
 * @module Shows a secret the server returns only once (a new API key, a webhook signing secret), with a
 * copy button and a plain warning that it cannot be shown again.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

interface SecretRevealModalProps {
  opened: boolean;
  title: string;
  description: string;
  secret: string | null;
  onClose: () => void;
}

export function SecretRevealModal({ opened, title, description, secret, onClose }: SecretRevealModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      centered
      size="lg"
      closeOnClickOutside={false}
      closeOnEscape={false}
    >
      <Stack data-testid="secret-reveal-modal">
        <Alert
          color="yellow"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title={t('secret.onceTitle')}
        >
          {t('secret.onceBody')}
        </Alert>
        <Text size="sm">{description}</Text>
        <Group gap="xs" wrap="nowrap" align="center">
          <Code
            block
            data-testid="secret-reveal-value"
            style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', fontSize: 14 }}
          >
            {secret ?? ''}
          </Code>
          <CopyButton value={secret ?? ''} timeout={2000}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('common.copied') : t('common.copy')} withArrow>
                <ActionIcon
                  variant="light"
                  color={copied ? 'teal' : 'blue'}
                  size="lg"
                  onClick={copy}
                  aria-label={t('common.copy')}
                  data-testid="secret-reveal-copy"
                >
                  {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose} data-testid="secret-reveal-done">
            {t('secret.done')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
