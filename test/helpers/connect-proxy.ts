/**
 * A forward proxy as a runner's `http_proxy` names one: it answers HTTP CONNECT (the tunnel
 * undici's ProxyAgent opens for every request) by connecting to `target` whatever host the client
 * asked for, and keeps each tunnel's requested authority. So a client can be given a host name
 * that resolves nowhere (`api.github.proxied.test`): the request arrives only through the proxy.
 *
 *   const proxy = await startConnectProxy(gh.url);
 *   runBundle(action, { env: { http_proxy: proxy.url }, github: { apiUrl: 'http://api.github.proxied.test:8080' } });
 *   proxy.tunnels   // ['api.github.proxied.test:8080', …]
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** The authority (`host:port`) of each CONNECT, in order. */
  tunnels: string[];
  /** Requests that were not CONNECT (answered 405). */
  refused: string[];
  stop(): Promise<void>;
}

export async function startConnectProxy(target: string): Promise<ConnectProxy> {
  const upstream = new URL(target);
  const tunnels: string[] = [];
  const refused: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(405, { 'content-type': 'text/plain' }).end('this proxy only tunnels (CONNECT)\n');
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(String(req.url));
    sockets.add(client);
    const remote = net.connect(Number(upstream.port), upstream.hostname, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) remote.write(head);
      remote.pipe(client);
      client.pipe(remote);
    });
    sockets.add(remote);
    const close = () => {
      client.destroy();
      remote.destroy();
    };
    remote.on('error', close).on('close', close);
    client.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    refused,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
