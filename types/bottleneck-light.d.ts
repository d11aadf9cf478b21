// Bottleneck's light build (no Redis clustering), the one @octokit/plugin-throttling loads: the
// same API as the full build, whose types it ships.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
