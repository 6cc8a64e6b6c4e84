/**
 * Signaling payloads as a browser produces them, so relayed messages have realistic sizes: a trickled ICE candidate
 * (what Shoal's simple-peer sends most) and a data-channel-only SDP offer and answer with their candidates gathered
 * (what WebTorrent sends through bittorrent-tracker, which does not trickle).
 */
import type { SignalData } from '@shoal/common';

/** One host candidate with an mDNS address, as Chromium trickles it (about 200 bytes of JSON). */
export const CANDIDATE_SIGNAL: SignalData = {
  type: 'candidate',
  candidate: {
    candidate:
      'candidate:1467250027 1 udp 2122260223 5b3e1c4a-2f7d-4c8e-9a51-6f0e2d9c7b13.local 54321 typ host generation 0 ufrag Xq3v network-id 1',
    sdpMLineIndex: 0,
    sdpMid: '0',
    usernameFragment: 'Xq3v',
  },
};

function sdp(setup: 'actpass' | 'active', ufrag: string, fingerprint: string, port: number): string {
  return [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS',
    `m=application ${port} UDP/DTLS/SCTP webrtc-datachannel`,
    'c=IN IP4 0.0.0.0',
    `a=candidate:1467250027 1 udp 2122260223 5b3e1c4a-2f7d-4c8e-9a51-6f0e2d9c7b13.local ${port} typ host generation 0 network-id 1`,
    `a=candidate:1853887674 1 udp 1686052607 203.0.113.7 ${port} typ srflx raddr 0.0.0.0 rport 0 generation 0 network-id 1`,
    `a=ice-ufrag:${ufrag}`,
    'a=ice-pwd:2Jt9dxVJdS4Uy0K7pNtq1mQ0',
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${fingerprint}`,
    `a=setup:${setup}`,
    'a=mid:0',
    'a=sctp-port:5000',
    'a=max-message-size:262144',
    '',
  ].join('\r\n');
}

/** An SDP offer for one data channel, candidates included (about 900 bytes). */
export const OFFER_SDP = sdp(
  'actpass',
  'Xq3v',
  '6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  54321,
);

/** The matching answer. */
export const ANSWER_SDP = sdp(
  'active',
  'Lm7k',
  '9F:12:4C:7A:E3:05:BB:61:0D:92:5E:C8:33:71:AF:18:46:2B:D9:70:E5:3C:81:F4:6A:0B:97:D2:5C:E8:1F:63',
  61234,
);
