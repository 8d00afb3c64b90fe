import { Button, Card, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** What a page shows when it has nothing yet: what would be here, and the next step to get it. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: { label: string; to: string } }) {
  return (
    <Card withBorder padding="lg" my="md" data-empty-state>
      <Stack gap="xs" align="flex-start">
        <Title order={2} size="h4">{title}</Title>
        <Text size="sm" c="dimmed">{children}</Text>
        {action && <Button component={Link} to={action.to}>{action.label}</Button>}
      </Stack>
    </Card>
  );
}
