import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';

interface StartedJob {
  id: string;
  type: string;
  state: string;
}

/** A job as the API answers a request that starts work (202 with the job), or `{ job }` around it. */
function startedJob(data: unknown): StartedJob | undefined {
  const candidate = data && typeof data === 'object' && 'job' in data ? (data as { job: unknown }).job : data;
  if (!candidate || typeof candidate !== 'object') return undefined;
  const c = candidate as Record<string, unknown>;
  const looksLikeJob = typeof c.id === 'string' && typeof c.type === 'string' && typeof c.state === 'string' && 'maxAttempts' in c && 'progress' in c;
  return looksLikeJob ? { id: c.id as string, type: c.type as string, state: c.state as string } : undefined;
}

/**
 * A toast for every job a mutation starts, wherever in the console it was started, with a link to its live log.
 * Watches the mutation cache, so pages need no code of their own for it.
 */
export function useJobToasts() {
  const client = useQueryClient();
  const navigate = useNavigate();
  useEffect(
    () =>
      client.getMutationCache().subscribe((event) => {
        if (event.type !== 'updated' || event.action.type !== 'success') return;
        const job = startedJob(event.action.data);
        if (!job) return;
        const to = `/jobs/${job.id}`;
        notifications.show({
          id: `job-${job.id}`,
          title: `Job ${job.type} ${job.state === 'queued' ? 'queued' : job.state}`,
          message: (
            <Text size="sm">
              <Anchor
                href={to}
                onClick={(e) => {
                  e.preventDefault();
                  notifications.hide(`job-${job.id}`);
                  navigate(to);
                }}
              >
                Follow its live log
              </Anchor>
            </Text>
          ),
          autoClose: 8_000,
        });
      }),
    [client, navigate],
  );
}
