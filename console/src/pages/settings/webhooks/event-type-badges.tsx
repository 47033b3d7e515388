/**
 * @module The event types an endpoint receives, compactly: "All events", or the first few and "+N more".
 */
import { Badge, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ALL_EVENTS } from '../../../api/webhooks';

export function EventTypeBadges({ types, max = 3 }: { types: string[]; max?: number }) {
  const { t } = useTranslation();
  if (types.includes(ALL_EVENTS)) {
    return (
      <Badge variant="light" color="violet" tt="none">
        {t('webhooks.allEventsShort')}
      </Badge>
    );
  }
  const shown = types.slice(0, max);
  const rest = types.slice(max);
  return (
    <Group gap={4}>
      {shown.map((type) => (
        <Badge key={type} variant="outline" color="gray" tt="none" ff="monospace" fw={500}>
          {type}
        </Badge>
      ))}
      {rest.length > 0 && (
        <Tooltip label={rest.join(', ')} withArrow multiline maw={320}>
          <Badge variant="light" color="gray" tt="none">
            {t('webhooks.moreEvents', { count: rest.length })}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
