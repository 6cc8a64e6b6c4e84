import { MAX_FILES_PER_ANNOUNCE } from '@shoal/common';
import * as defaultParser from 'socket.io-parser';

/**
 * Most binary attachments one Socket.IO packet may carry: one bitfield per file of a full `files:announce`. Socket.IO
 * sends every Uint8Array in a payload as a separate attachment, and its default decoder closes the connection of a
 * packet with more than 10.
 */
export const MAX_PACKET_ATTACHMENTS = MAX_FILES_PER_ANNOUNCE;

/** Socket.IO's own decoder with room for {@link MAX_PACKET_ATTACHMENTS}; a packet with more still closes its connection. */
class TrackerDecoder extends defaultParser.Decoder {
  constructor() {
    super({ maxAttachments: MAX_PACKET_ATTACHMENTS });
  }
}

/** The packet parser of the tracker's Socket.IO server: the default one, but for the attachment limit. */
export const trackerParser = { ...defaultParser, Decoder: TrackerDecoder };
