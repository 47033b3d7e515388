/**
 * @module State for a modal that acts on one item (the key to revoke, the endpoint to delete). The item stays
 * set while the modal plays its closing animation, so its text doesn't blank out on the way out.
 */
import { useCallback, useState } from 'react';

export function useTarget<T>() {
  const [target, setTarget] = useState<T | null>(null);
  const [opened, setOpened] = useState(false);
  const open = useCallback((item: T) => {
    setTarget(item);
    setOpened(true);
  }, []);
  const close = useCallback(() => setOpened(false), []);
  return { target, opened, open, close };
}
