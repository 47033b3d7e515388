/**
 * @module An area's screens as tabs that are links: each tab names a route, choosing one navigates there, and the
 * screen being shown says which tab is active. Inventory, Orders, POS and Inbox share it.
 */
import { Tabs } from '@mantine/core';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';

export interface RouteTab<Tab extends string> {
  tab: Tab;
  path: string;
  icon: ReactNode;
  label: string;
}

export function RouteTabs<Tab extends string>(props: {
  active: Tab;
  tabs: ReadonlyArray<RouteTab<Tab>>;
  /** `orders-tab` gives `data-testid="orders-tab-list"`, … */
  testIdPrefix: string;
}) {
  const navigate = useNavigate();
  return (
    <Tabs
      value={props.active}
      onChange={(tab) => {
        const target = props.tabs.find((entry) => entry.tab === tab);
        if (target) void navigate(target.path);
      }}
      mb="md"
    >
      <Tabs.List>
        {props.tabs.map(({ tab, icon, label }) => (
          <Tabs.Tab key={tab} value={tab} leftSection={icon} data-testid={`${props.testIdPrefix}-${tab}`}>
            {label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
