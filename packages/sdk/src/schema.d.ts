// Generated from openapi.json by `pnpm --filter @overmind/sdk generate`. Do not edit.

export interface paths {
    "/api/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who did what to what, when and from where (newest first by default) */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange a username and password for a bearer token */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user the presented token belongs to */
        get: operations["getCurrentUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change your own password (existing sessions end, API tokens are revoked)
         * @description A wrong current password is 403 and counts against the login limits (429 when they are used up).
         */
        post: operations["changeOwnPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-Sent Events: job and node changes as they happen, from every API and worker process
         * @description Each message has `event:` job, job.log, node or provider and a JSON `data:` line; `event: resync` means events may have been missed (the server lost its database connection for a while): refetch what you show. `job.log` names the lines stored (`count`, `firstLineId`, `lastLineId`): read them with `GET /jobs/{id}/logs?after=`. Browsers, whose EventSource cannot send headers, may pass the token as `?access_token=`. A user may hold a limited number of streams (429 past it); a client that stops reading is disconnected; a stream ends once its token or user no longer allows it.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and readiness: the database and the job queue answer */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Jobs, newest first by default */
        get: operations["listJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a job that has not started yet */
        post: operations["cancelJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Log lines of a job, oldest first
         * @description Pass the last id seen as `after` to get only newer lines. `tail=true` gives the newest `limit` lines instead of the oldest (where a reader of a long log starts); with `before` set to the first id seen, it pages back through older lines. `total` is the number of lines the job has.
         */
        get: operations["getJobLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kitchen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current Chef kitchen: roles, recipes with their cookbook dependencies, environments */
        get: operations["getKitchen"];
        /**
         * Replace the Chef kitchen with a .tar.gz (cookbooks/, site-cookbooks/, roles/, environments/, data_bags/)
         * @description The archive is unpacked and validated first; when anything is wrong the answer is 422 listing every problem with its file, and the previous kitchen stays in place. An archive past the server's limits (OVERMIND_KITCHEN_MAX_UPLOAD_BYTES compressed, OVERMIND_KITCHEN_MAX_UNPACKED_BYTES unpacked, OVERMIND_KITCHEN_MAX_ENTRIES entries) is refused with 413.
         */
        put: operations["uploadKitchen"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listNodes"];
        put?: never;
        /** Create a node; answers with the job that creates it (the node id is its targetId) */
        post: operations["createNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getNode"];
        put?: never;
        post?: never;
        /** Destroy the node at its provider; the record is kept as history */
        delete: operations["destroyNode"];
        options?: never;
        head?: never;
        /** Rename a node or replace its tags (in Overmind only) */
        patch: operations["updateNode"];
        trace?: never;
    };
    "/api/v1/nodes/{id}/boot-device": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Choose what a registered server boots from next time (through its BMC) */
        post: operations["setNodeBootDevice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/{id}/configure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-apply a node's server role to it (node.configure job) */
        post: operations["configureNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/{id}/facts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Gather the facts of a registered server again (OS, CPU, memory, disks, network) */
        post: operations["refreshNodeFacts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/{id}/host-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept a registered server's changed SSH host key, after checking the change (e.g. a reinstall) */
        post: operations["acceptNodeHostKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/{id}/reboot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reboot a node (409 when its provider cannot) */
        post: operations["rebootNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/{id}/sensors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Read a registered server's sensors through its BMC; the readings are the job's result */
        post: operations["readNodeSensors"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a node (409 when its provider cannot) */
        post: operations["startNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a node (409 when its provider cannot) */
        post: operations["stopNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/actions/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a shell command on registered servers; answers with the job (output and exit codes in its log)
         * @description Every node must be a registered server whose provider can run commands (409 names those that are not). The job result is `{ results: [{ nodeId, exitCode, ok, error? }] }`; the command is never retried.
         */
        post: operations["runCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nodes/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live nodes (not destroyed or decommissioned) counted by state and by provider */
        get: operations["summarizeNodes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/provider-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The registered provider plugins, with the credentials each needs */
        get: operations["listProviderTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listProviders"];
        put?: never;
        /** Register a provider; its credentials are checked with the provider first */
        post: operations["createProvider"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getProvider"];
        put?: never;
        post?: never;
        /** Stop managing a provider. Its machines are left running; its nodes are marked decommissioned */
        delete: operations["deleteProvider"];
        options?: never;
        head?: never;
        /**
         * Rename, change settings or replace credentials (checked with the provider first)
         * @description Changing one of the type's `endpointSettings` (an address its credentials are sent to) needs the credentials in the same request; without them the answer is 422 naming `body.credentials`, whatever the role.
         */
        patch: operations["updateProvider"];
        trace?: never;
    };
    "/api/v1/providers/{id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Cached images: favourites first, then recently used */
        get: operations["listProviderImages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}/images/{imageId}/favourite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["addImageFavourite"];
        post?: never;
        delete: operations["removeImageFavourite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}/locations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Cached locations: favourites first, then recently used */
        get: operations["listProviderLocations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register an existing server with a provider that manages registered servers (409 for others)
         * @description Answers with the job that reaches the server, pins its SSH host key and gathers its facts (the node id is its targetId). `registration` follows the provider type's `registrationSchema` (listProviderTypes); it is stored encrypted and never returned.
         */
        post: operations["registerNode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refresh the cached images, sizes and locations */
        post: operations["refreshProviderCatalog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}/sizes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Cached sizes: favourites first, then recently used */
        get: operations["listProviderSizes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sync nodes with what the provider lists now */
        post: operations["syncProvider"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server-roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listServerRoles"];
        put?: never;
        /**
         * Create a server role: a machine type of one provider plus a run list, attributes and environment
         * @description The image, size and location must be in the provider catalog and every run-list item must resolve in the kitchen (422 naming it).
         */
        post: operations["createServerRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server-roles/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getServerRole"];
        put?: never;
        post?: never;
        /** Delete a server role; its nodes stay */
        delete: operations["deleteServerRole"];
        options?: never;
        head?: never;
        /** Change a server role (its provider stays); nodes get the change at the next apply */
        patch: operations["updateServerRole"];
        trace?: never;
    };
    "/api/v1/server-roles/{id}/apply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-apply a server role to every node of it, `concurrency` at a time, in one job */
        post: operations["applyServerRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server-roles/{id}/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create nodes from a server role: each is created (node.create job), then configured (node.configure job) */
        post: operations["createNodesFromServerRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your API tokens (admins: everyone's) */
        get: operations["listApiTokens"];
        put?: never;
        /**
         * Create an API token for automation; its secret is shown only in this response
         * @description Needs your password again: a wrong one is 403 and counts against the login limits (429 when they are used up). The token acts with your role until it expires (by default after OVERMIND_API_TOKEN_DAYS, 90 days), is revoked, or your password is changed or reset.
         */
        post: operations["createApiToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["revokeApiToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listUsers"];
        put?: never;
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getUser"];
        put?: never;
        post?: never;
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /** Change a user's role or reset their password */
        patch: operations["updateUser"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAuditEvents: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                /** @description Items per page (at most 200) */
                limit?: number;
                order?: "asc" | "desc";
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
                targetId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description e.g. node.reboot, provider.create, auth.login */
                            action: string;
                            actorId: string | null;
                            actorName: string | null;
                            /** Format: date-time */
                            at: string;
                            details: {
                                [key: string]: unknown;
                            };
                            id: string;
                            ip: string | null;
                            outcome: string;
                            requestId: string | null;
                            targetId: string | null;
                            targetType: string | null;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    username: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expiresAt: string;
                        token: string;
                        /** User */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            id: string;
                            /**
                             * @description admin: everything; operator: providers, nodes, jobs; observer: read only
                             * @enum {unknown}
                             */
                            role: "admin" | "operator" | "observer";
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Too many attempts; wait and retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getCurrentUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        /**
                         * @description admin: everything; operator: providers, nodes, jobs; observer: read only
                         * @enum {unknown}
                         */
                        role: "admin" | "operator" | "observer";
                        /** Format: date-time */
                        updatedAt: string;
                        username: string;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    changeOwnPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Too many attempts; wait and retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                access_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An endless text/event-stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Too many attempts; wait and retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        database: "ok" | "failing";
                        queue: "ok" | "failing";
                        status: "ok" | "failing";
                        version: string;
                    };
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        database: "ok" | "failing";
                        queue: "ok" | "failing";
                        status: "ok" | "failing";
                        version: string;
                    };
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                /** @description Items per page (at most 200) */
                limit?: number;
                order?: "asc" | "desc";
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
                providerId?: string;
                state?: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                target?: string;
                type?: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            attempts: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string | null;
                            error: string | null;
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            maxAttempts: number;
                            progress: number;
                            providerId: string | null;
                            result: {
                                [key: string]: unknown;
                            } | null;
                            startedAt: string | null;
                            /** @enum {unknown} */
                            state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /** Format: uuid */
                            targetId: string;
                            targetType: string;
                            /** @enum {unknown} */
                            type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getJobLogs: {
        parameters: {
            query?: {
                after?: number;
                before?: number;
                limit?: number;
                tail?: boolean;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            at: string;
                            id: string;
                            level: string;
                            line: string;
                        }[];
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getKitchen: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        environments: {
                            description: string | null;
                            name: string;
                        }[];
                        problems: {
                            column?: number;
                            file: string | null;
                            line?: number;
                            message: string;
                        }[];
                        recipes: {
                            cookbook: string;
                            /** @description Cookbooks it depends on */
                            dependencies: string[];
                            description: string | null;
                            name: string;
                        }[];
                        roles: {
                            description: string | null;
                            name: string;
                            runList: string[];
                        }[];
                        /** @description False until the first upload */
                        uploaded: boolean;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    uploadKitchen: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A .tar.gz of at most OVERMIND_KITCHEN_MAX_UPLOAD_BYTES (16 MiB by default) */
        requestBody: {
            content: {
                "application/gzip": string;
                "application/octet-stream": string;
                "application/x-gzip": string;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        environments: {
                            description: string | null;
                            name: string;
                        }[];
                        problems: {
                            column?: number;
                            file: string | null;
                            line?: number;
                            message: string;
                        }[];
                        recipes: {
                            cookbook: string;
                            /** @description Cookbooks it depends on */
                            dependencies: string[];
                            description: string | null;
                            name: string;
                        }[];
                        roles: {
                            description: string | null;
                            name: string;
                            runList: string[];
                        }[];
                        /** @description False until the first upload */
                        uploaded: boolean;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listNodes: {
        parameters: {
            query?: {
                /** @description Include destroyed and decommissioned nodes */
                includeGone?: boolean;
                /** @description Items per page (at most 200) */
                limit?: number;
                order?: "asc" | "desc";
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
                providerId?: string;
                /** @description Part of the name or an address */
                search?: string;
                sort?: "name" | "createdAt" | "updatedAt" | "state";
                state?: "running" | "starting" | "stopping" | "stopped" | "rebooting" | "pending" | "configuring" | "terminated" | "error" | "unknown";
                tag?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string | null;
                            decommissionedAt: string | null;
                            destroyedAt: string | null;
                            destroyedBy: string | null;
                            extra: {
                                [key: string]: unknown;
                            };
                            facts: {
                                [key: string]: unknown;
                            } | null;
                            /** Format: uuid */
                            id: string;
                            imageId: string | null;
                            locationId: string | null;
                            name: string;
                            privateIps: string[];
                            /** Format: uuid */
                            providerId: string;
                            providerNodeId: string | null;
                            publicIps: string[];
                            sizeId: string | null;
                            /** @enum {unknown} */
                            state: "running" | "starting" | "stopping" | "stopped" | "rebooting" | "pending" | "configuring" | "terminated" | "error" | "unknown";
                            tags: string[];
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    createNode: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any 1–255 printable ASCII characters, unique per operation (e.g. a UUID). A repeat of the request with the same key within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of running again; the same key with another body answers 422, and while the first request still runs, 409 with Retry-After. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    imageId: string;
                    locationId: string;
                    /** @description Letters, digits, dot, dash, underscore */
                    name: string;
                    /** Format: uuid */
                    providerId: string;
                    sizeId: string;
                    sshPublicKey?: string;
                    tags?: string[];
                    userData?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        decommissionedAt: string | null;
                        destroyedAt: string | null;
                        destroyedBy: string | null;
                        extra: {
                            [key: string]: unknown;
                        };
                        facts: {
                            [key: string]: unknown;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        imageId: string | null;
                        locationId: string | null;
                        name: string;
                        privateIps: string[];
                        /** Format: uuid */
                        providerId: string;
                        providerNodeId: string | null;
                        publicIps: string[];
                        sizeId: string | null;
                        /** @enum {unknown} */
                        state: "running" | "starting" | "stopping" | "stopped" | "rebooting" | "pending" | "configuring" | "terminated" | "error" | "unknown";
                        tags: string[];
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    destroyNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    updateNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Letters, digits, dot, dash, underscore */
                    name?: string;
                    tags?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        decommissionedAt: string | null;
                        destroyedAt: string | null;
                        destroyedBy: string | null;
                        extra: {
                            [key: string]: unknown;
                        };
                        facts: {
                            [key: string]: unknown;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        imageId: string | null;
                        locationId: string | null;
                        name: string;
                        privateIps: string[];
                        /** Format: uuid */
                        providerId: string;
                        providerNodeId: string | null;
                        publicIps: string[];
                        sizeId: string | null;
                        /** @enum {unknown} */
                        state: "running" | "starting" | "stopping" | "stopped" | "rebooting" | "pending" | "configuring" | "terminated" | "error" | "unknown";
                        tags: string[];
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    setNodeBootDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {unknown} */
                    device: "pxe" | "disk" | "bios";
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    configureNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    refreshNodeFacts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    acceptNodeHostKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description SSH host key fingerprint as `ssh-keygen -lf` prints it: SHA256:... */
                    fingerprint: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        hostKeyFingerprint: string;
                        /** Format: uuid */
                        nodeId: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    rebootNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    readNodeSensors: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    startNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    stopNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    runCommand: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any 1–255 printable ASCII characters, unique per operation (e.g. a UUID). A repeat of the request with the same key within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of running again; the same key with another body answers 422, and while the first request still runs, 409 with Retry-After. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Run by the login shell of each SSH user */
                    command: string;
                    /** @description Most nodes at once; each provider's own limit applies too */
                    concurrency?: number;
                    /** @description Environment variables for the command, e.g. secrets: `{ "DB_PASSWORD": "..." }`. Names like shell variables. Values are write-only: stored sealed until the job ran, never on a command line, never in the job log or the audit log, and masked (`***`) wherever they appear in the command's output (values of 4 characters or more). */
                    env?: {
                        [key: string]: string;
                    };
                    nodeIds: string[];
                    /** @description Per node; the provider's command timeout when absent */
                    timeoutSeconds?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    summarizeNodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        byProvider: {
                            /** StateCounts */
                            byState: {
                                configuring: number;
                                error: number;
                                pending: number;
                                rebooting: number;
                                running: number;
                                starting: number;
                                stopped: number;
                                stopping: number;
                                terminated: number;
                                unknown: number;
                            };
                            /** Format: uuid */
                            providerId: string;
                            total: number;
                        }[];
                        /** StateCounts */
                        byState: {
                            configuring: number;
                            error: number;
                            pending: number;
                            rebooting: number;
                            running: number;
                            starting: number;
                            stopped: number;
                            stopping: number;
                            terminated: number;
                            unknown: number;
                        };
                        total: number;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listProviderTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            capabilities: ("createNode" | "rebootNode" | "startNode" | "stopNode" | "destroyNode" | "powerOn" | "powerOff" | "powerCycle" | "listImages" | "listSizes" | "listLocations" | "listNodes" | "registerNode" | "gatherFacts" | "runCommand" | "acceptHostKey" | "setBootDevice" | "readSensors" | "softPowerOff")[];
                            credentialSchema: {
                                [key: string]: unknown;
                            };
                            description: string;
                            displayName: string;
                            /** @description Settings that decide where the credentials are sent; changing one needs the credentials again */
                            endpointSettings: string[];
                            kind: string;
                            settingsSchema: {
                                [key: string]: unknown;
                            };
                        }[];
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listProviders: {
        parameters: {
            query?: {
                /** @description Items per page (at most 200) */
                limit?: number;
                order?: "asc" | "desc";
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
                search?: string;
                type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            catalogRefreshedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            id: string;
                            lastSyncAt: string | null;
                            lastSyncStatus: string | null;
                            name: string;
                            nodeCount?: number;
                            settings: {
                                [key: string]: unknown;
                            };
                            status: "ok" | "error" | "unknown";
                            statusMessage: string | null;
                            syncIntervalSeconds: number;
                            type: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    createProvider: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any 1–255 printable ASCII characters, unique per operation (e.g. a UUID). A repeat of the request with the same key within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of running again; the same key with another body answers 422, and while the first request still runs, 409 with Retry-After. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    credentials: {
                        [key: string]: unknown;
                    };
                    name: string;
                    settings?: {
                        [key: string]: unknown;
                    };
                    /** @description Seconds between scheduled syncs */
                    syncIntervalSeconds?: number;
                    type: string;
                };
            };
        };
        responses: {
            /** @description Credentials are write-only and never returned */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        catalogRefreshedAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        lastSyncAt: string | null;
                        lastSyncStatus: string | null;
                        name: string;
                        nodeCount?: number;
                        settings: {
                            [key: string]: unknown;
                        };
                        status: "ok" | "error" | "unknown";
                        statusMessage: string | null;
                        syncIntervalSeconds: number;
                        type: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The provider could not be reached or answered with an error */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Credentials are write-only and never returned */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        catalogRefreshedAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        lastSyncAt: string | null;
                        lastSyncStatus: string | null;
                        name: string;
                        nodeCount?: number;
                        settings: {
                            [key: string]: unknown;
                        };
                        status: "ok" | "error" | "unknown";
                        statusMessage: string | null;
                        syncIntervalSeconds: number;
                        type: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    deleteProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        decommissioned: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    updateProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    credentials?: {
                        [key: string]: unknown;
                    };
                    name?: string;
                    settings?: {
                        [key: string]: unknown;
                    };
                    /** @description Seconds between scheduled syncs */
                    syncIntervalSeconds?: number;
                };
            };
        };
        responses: {
            /** @description Credentials are write-only and never returned */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        catalogRefreshedAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        lastSyncAt: string | null;
                        lastSyncStatus: string | null;
                        name: string;
                        nodeCount?: number;
                        settings: {
                            [key: string]: unknown;
                        };
                        status: "ok" | "error" | "unknown";
                        statusMessage: string | null;
                        syncIntervalSeconds: number;
                        type: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The provider could not be reached or answered with an error */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listProviderImages: {
        parameters: {
            query?: {
                favourite?: boolean;
                /** @description Items per page (at most 200) */
                limit?: number;
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
                search?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            data: {
                                [key: string]: unknown;
                            };
                            favourite: boolean;
                            id: string;
                            lastUsedAt: string | null;
                            name: string;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    addImageFavourite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                imageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            [key: string]: unknown;
                        };
                        favourite: boolean;
                        id: string;
                        lastUsedAt: string | null;
                        name: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    removeImageFavourite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                imageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            [key: string]: unknown;
                        };
                        favourite: boolean;
                        id: string;
                        lastUsedAt: string | null;
                        name: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listProviderLocations: {
        parameters: {
            query?: {
                favourite?: boolean;
                /** @description Items per page (at most 200) */
                limit?: number;
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
                search?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            data: {
                                [key: string]: unknown;
                            };
                            favourite: boolean;
                            id: string;
                            lastUsedAt: string | null;
                            name: string;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    registerNode: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any 1–255 printable ASCII characters, unique per operation (e.g. a UUID). A repeat of the request with the same key within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of running again; the same key with another body answers 422, and while the first request still runs, 409 with Retry-After. */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Letters, digits, dot, dash, underscore */
                    name: string;
                    /** @description Address, SSH and BMC login, per the type's registrationSchema */
                    registration: {
                        [key: string]: unknown;
                    };
                    tags?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    refreshProviderCatalog: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listProviderSizes: {
        parameters: {
            query?: {
                favourite?: boolean;
                /** @description Items per page (at most 200) */
                limit?: number;
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
                search?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            data: {
                                [key: string]: unknown;
                            };
                            favourite: boolean;
                            id: string;
                            lastUsedAt: string | null;
                            name: string;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    syncProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listServerRoles: {
        parameters: {
            query?: {
                /** @description Items per page (at most 200) */
                limit?: number;
                order?: "asc" | "desc";
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Node (normal) attributes, a JSON object. Every observer can read them: secrets go in secretAttributes */
                            attributes: {
                                [key: string]: unknown;
                            };
                            cm: {
                                kind: string;
                                settings: {
                                    [key: string]: unknown;
                                };
                            };
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string | null;
                            environment: string | null;
                            /** Format: uuid */
                            id: string;
                            imageId: string;
                            locationId: string;
                            name: string;
                            /** @description Nodes made from this role */
                            nodeIds: string[];
                            /** Format: uuid */
                            providerId: string;
                            runList: string[];
                            /** @description Paths of the secret attributes that are set, sorted; their values are never returned */
                            secretAttributeKeys: string[];
                            sizeId: string;
                            ssh: {
                                hasPrivateKey: boolean;
                                port: number;
                                publicKey?: string;
                                username: string;
                            };
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    createServerRole: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any 1–255 printable ASCII characters, unique per operation (e.g. a UUID). A repeat of the request with the same key within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of running again; the same key with another body answers 422, and while the first request still runs, 409 with Retry-After. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Node (normal) attributes, a JSON object. Every observer can read them: secrets go in secretAttributes */
                    attributes?: {
                        [key: string]: unknown;
                    };
                    cm?: {
                        /**
                         * @default chef-solo
                         * @enum {unknown}
                         */
                        kind: "chef-solo";
                        /**
                         * @description Settings of the CM plugin, e.g. chef-solo: chefSoloCommand, installCommand, sudo, paths (see GET /kitchen)
                         * @default {}
                         */
                        settings: {
                            [key: string]: unknown;
                        };
                    };
                    environment?: string | null;
                    imageId: string;
                    locationId: string;
                    /** @description Letters, digits, dot, dash, underscore */
                    name: string;
                    /** Format: uuid */
                    providerId: string;
                    /** @description Resolved against the kitchen: every item must exist */
                    runList: string[];
                    /** @description Secret node (normal) attributes by dotted path, e.g. `{ "mysql.root_password": "..." }`: stored sealed, never returned (the role shows their paths in secretAttributeKeys), merged over attributes only when a node is configured, and masked in job logs. A path must not also be in attributes. */
                    secretAttributes?: {
                        [key: string]: string;
                    };
                    sizeId: string;
                    ssh: {
                        passphrase?: string;
                        /** @default 22 */
                        port: number;
                        /** @description PEM/OpenSSH private key; stored sealed, never returned */
                        privateKey: string;
                        /** @description Installed on new nodes by their provider */
                        publicKey?: string;
                        /** @description When the user is not root and sudo asks for one */
                        sudoPassword?: string;
                        username: string;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Node (normal) attributes, a JSON object. Every observer can read them: secrets go in secretAttributes */
                        attributes: {
                            [key: string]: unknown;
                        };
                        cm: {
                            kind: string;
                            settings: {
                                [key: string]: unknown;
                            };
                        };
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        environment: string | null;
                        /** Format: uuid */
                        id: string;
                        imageId: string;
                        locationId: string;
                        name: string;
                        /** @description Nodes made from this role */
                        nodeIds: string[];
                        /** Format: uuid */
                        providerId: string;
                        runList: string[];
                        /** @description Paths of the secret attributes that are set, sorted; their values are never returned */
                        secretAttributeKeys: string[];
                        sizeId: string;
                        ssh: {
                            hasPrivateKey: boolean;
                            port: number;
                            publicKey?: string;
                            username: string;
                        };
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getServerRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Node (normal) attributes, a JSON object. Every observer can read them: secrets go in secretAttributes */
                        attributes: {
                            [key: string]: unknown;
                        };
                        cm: {
                            kind: string;
                            settings: {
                                [key: string]: unknown;
                            };
                        };
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        environment: string | null;
                        /** Format: uuid */
                        id: string;
                        imageId: string;
                        locationId: string;
                        name: string;
                        /** @description Nodes made from this role */
                        nodeIds: string[];
                        /** Format: uuid */
                        providerId: string;
                        runList: string[];
                        /** @description Paths of the secret attributes that are set, sorted; their values are never returned */
                        secretAttributeKeys: string[];
                        sizeId: string;
                        ssh: {
                            hasPrivateKey: boolean;
                            port: number;
                            publicKey?: string;
                            username: string;
                        };
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    deleteServerRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    updateServerRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Node (normal) attributes, a JSON object. Every observer can read them: secrets go in secretAttributes */
                    attributes?: {
                        [key: string]: unknown;
                    };
                    cm?: {
                        /**
                         * @default chef-solo
                         * @enum {unknown}
                         */
                        kind: "chef-solo";
                        /**
                         * @description Settings of the CM plugin, e.g. chef-solo: chefSoloCommand, installCommand, sudo, paths (see GET /kitchen)
                         * @default {}
                         */
                        settings: {
                            [key: string]: unknown;
                        };
                    };
                    environment?: string | null;
                    imageId?: string;
                    locationId?: string;
                    /** @description Letters, digits, dot, dash, underscore */
                    name?: string;
                    /** @description Resolved against the kitchen: every item must exist */
                    runList?: string[];
                    /** @description Changes single secret attributes: a string sets the path, null removes it, paths left out keep their values (JSON merge patch). */
                    secretAttributes?: {
                        [key: string]: string | null;
                    };
                    sizeId?: string;
                    ssh?: {
                        passphrase?: string;
                        /** @default 22 */
                        port: number;
                        /** @description PEM/OpenSSH private key; stored sealed, never returned */
                        privateKey: string;
                        /** @description Installed on new nodes by their provider */
                        publicKey?: string;
                        /** @description When the user is not root and sudo asks for one */
                        sudoPassword?: string;
                        username: string;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Node (normal) attributes, a JSON object. Every observer can read them: secrets go in secretAttributes */
                        attributes: {
                            [key: string]: unknown;
                        };
                        cm: {
                            kind: string;
                            settings: {
                                [key: string]: unknown;
                            };
                        };
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        environment: string | null;
                        /** Format: uuid */
                        id: string;
                        imageId: string;
                        locationId: string;
                        name: string;
                        /** @description Nodes made from this role */
                        nodeIds: string[];
                        /** Format: uuid */
                        providerId: string;
                        runList: string[];
                        /** @description Paths of the secret attributes that are set, sorted; their values are never returned */
                        secretAttributeKeys: string[];
                        sizeId: string;
                        ssh: {
                            hasPrivateKey: boolean;
                            port: number;
                            publicKey?: string;
                            username: string;
                        };
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    applyServerRole: {
        parameters: {
            query?: {
                /** @description Nodes configured at a time */
                concurrency?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        createdAt: string;
                        createdBy: string | null;
                        error: string | null;
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        maxAttempts: number;
                        progress: number;
                        providerId: string | null;
                        result: {
                            [key: string]: unknown;
                        } | null;
                        startedAt: string | null;
                        /** @enum {unknown} */
                        state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                        /** Format: uuid */
                        targetId: string;
                        targetType: string;
                        /** @enum {unknown} */
                        type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    createNodesFromServerRole: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any 1–255 printable ASCII characters, unique per operation (e.g. a UUID). A repeat of the request with the same key within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of running again; the same key with another body answers 422, and while the first request still runs, 409 with Retry-After. */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    count: number;
                    /** @description Letters, digits, dot, dash, underscore */
                    namePrefix?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The node.create jobs; each targetId is a new node */
                        jobs: {
                            attempts: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string | null;
                            error: string | null;
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            maxAttempts: number;
                            progress: number;
                            providerId: string | null;
                            result: {
                                [key: string]: unknown;
                            } | null;
                            startedAt: string | null;
                            /** @enum {unknown} */
                            state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /** Format: uuid */
                            targetId: string;
                            targetType: string;
                            /** @enum {unknown} */
                            type: "node.create" | "node.reboot" | "node.start" | "node.stop" | "node.destroy" | "node.register" | "node.facts" | "node.sensors" | "node.boot-device" | "nodes.run" | "node.configure" | "server-role.apply" | "provider.sync" | "provider.refresh" | "noop";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listApiTokens: {
        parameters: {
            query?: {
                /** @description Items per page (at most 200) */
                limit?: number;
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: uuid */
                            id: string;
                            lastUsedAt: string | null;
                            name: string;
                            /** @description First characters of the secret, to recognise it */
                            prefix: string;
                            revokedAt: string | null;
                            /** Format: uuid */
                            userId: string;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    createApiToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any 1–255 printable ASCII characters, unique per operation (e.g. a UUID). A repeat of the request with the same key within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of running again; the same key with another body answers 422, and while the first request still runs, 409 with Retry-After. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Lifetime; the server's default when absent, at most its OVERMIND_API_TOKEN_MAX_DAYS (365 unless configured) */
                    expiresInDays?: number;
                    name: string;
                    /** @description Your current password */
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        secret: string;
                        /** ApiToken */
                        token: {
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: uuid */
                            id: string;
                            lastUsedAt: string | null;
                            name: string;
                            /** @description First characters of the secret, to recognise it */
                            prefix: string;
                            revokedAt: string | null;
                            /** Format: uuid */
                            userId: string;
                        };
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Too many attempts; wait and retry */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    revokeApiToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: date-time */
                        expiresAt: string;
                        /** Format: uuid */
                        id: string;
                        lastUsedAt: string | null;
                        name: string;
                        /** @description First characters of the secret, to recognise it */
                        prefix: string;
                        revokedAt: string | null;
                        /** Format: uuid */
                        userId: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description Items per page (at most 200) */
                limit?: number;
                order?: "asc" | "desc";
                /** @description Page number, from 1 (at most 1000000) */
                page?: number;
                /** @description admin: everything; operator: providers, nodes, jobs; observer: read only */
                role?: "admin" | "operator" | "observer";
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            id: string;
                            /**
                             * @description admin: everything; operator: providers, nodes, jobs; observer: read only
                             * @enum {unknown}
                             */
                            role: "admin" | "operator" | "observer";
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        }[];
                        limit: number;
                        page: number;
                        /** @description Items matching the filter, over all pages */
                        total: number;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any 1–255 printable ASCII characters, unique per operation (e.g. a UUID). A repeat of the request with the same key within 24 hours gets the first answer (with `Idempotent-Replayed: true`) instead of running again; the same key with another body answers 422, and while the first request still runs, 409 with Retry-After. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    /**
                     * @description admin: everything; operator: providers, nodes, jobs; observer: read only
                     * @enum {unknown}
                     */
                    role: "admin" | "operator" | "observer";
                    username: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        /**
                         * @description admin: everything; operator: providers, nodes, jobs; observer: read only
                         * @enum {unknown}
                         */
                        role: "admin" | "operator" | "observer";
                        /** Format: date-time */
                        updatedAt: string;
                        username: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is well-formed but its content was refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        /**
                         * @description admin: everything; operator: providers, nodes, jobs; observer: read only
                         * @enum {unknown}
                         */
                        role: "admin" | "operator" | "observer";
                        /** Format: date-time */
                        updatedAt: string;
                        username: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password?: string;
                    /**
                     * @description admin: everything; operator: providers, nodes, jobs; observer: read only
                     * @enum {unknown}
                     */
                    role?: "admin" | "operator" | "observer";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        id: string;
                        /**
                         * @description admin: everything; operator: providers, nodes, jobs; observer: read only
                         * @enum {unknown}
                         */
                        role: "admin" | "operator" | "observer";
                        /** Format: date-time */
                        updatedAt: string;
                        username: string;
                    };
                };
            };
            /** @description The request is malformed: a field is missing, unknown or of the wrong type */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description No valid credentials were sent */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The caller's role does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource does not exist */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The resource is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Something failed on the server */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong and what to fix */
                        detail: string;
                        /** @description One entry per invalid field */
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        /** @description Quote this when reporting a problem */
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
}
