/**
 * @module "This till": the store (a location) and its store channel, chosen once on this device. The location is
 * the same "my store" the orders desks remember; the channel is the location's own (`channel_id`) or the store
 * channel carrying its code (`config.store_code`), and can be changed when a store has several.
 */
import { useEffect, useMemo, useState } from 'react';
import { useChannels } from '../../api/channels';
import { useLocations } from '../../api/inventory';
import { useMyLocation } from '../orders/orders-display';

const CHANNEL_KEY = 'omnis.pos.channel';

export interface Till {
  locationId: string | null;
  channelId: string | null;
  setLocation: (id: string | null) => void;
  setChannel: (id: string | null) => void;
  storeChannels: Array<{ value: string; label: string }>;
  /** The till's currency (the store channel's), once known. */
  currency: string | null;
}

function readChannel(): string | null {
  try {
    return localStorage.getItem(CHANNEL_KEY);
  } catch {
    return null;
  }
}

export function useTill(): Till {
  const [locationId, setLocation] = useMyLocation();
  const [chosen, setChosen] = useState<string | null>(readChannel);
  const channels = useChannels({ kind: 'store' });
  const locations = useLocations();
  const location = (locations.data ?? []).find((l) => l.id === locationId);

  const matching = useMemo(
    () =>
      channels.items.find(
        (c) => location && (c.id === location.channel_id || c.config.store_code === location.code),
      ) ?? null,
    [channels.items, location],
  );
  const channelId = chosen && channels.items.some((c) => c.id === chosen) ? chosen : (matching?.id ?? null);
  const channel = channels.items.find((c) => c.id === channelId);

  useEffect(() => {
    try {
      if (chosen) localStorage.setItem(CHANNEL_KEY, chosen);
      else localStorage.removeItem(CHANNEL_KEY);
    } catch {
      // Storage unavailable: the choice lasts for this page only.
    }
  }, [chosen]);

  return {
    locationId,
    channelId,
    setLocation: (id) => {
      setLocation(id);
      // A new store: its own channel, found again by store code.
      setChosen(null);
    },
    setChannel: setChosen,
    storeChannels: channels.items.map((c) => ({ value: c.id, label: c.name })),
    currency: typeof channel?.config.currency === 'string' ? channel.config.currency : null,
  };
}
