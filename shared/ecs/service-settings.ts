/**
 * The service settings a deploy can change besides the revision: ECS managed tags, tag
 * propagation and the service-managed EBS volume (UpdateService's `volumeConfigurations`). Each is
 * sent only when asked (ecs-rolling-deploy reads them: its service-settings-inputs.ts), so a
 * service managed elsewhere keeps its own settings.
 */

export type PropagateTags = 'NONE' | 'SERVICE' | 'TASK_DEFINITION';

export interface ServiceSettings {
  enableEcsManagedTags?: boolean;
  propagateTags?: PropagateTags;
  /** UpdateService's `volumeConfigurations`: one `{ name, managedEBSVolume }`. */
  volumeConfigurations?: { name: string; managedEBSVolume: Record<string, unknown> }[];
}
