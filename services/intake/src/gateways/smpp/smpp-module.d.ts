/**
 * The parts of the `smpp` package (which ships no types) that the SMPP gateway uses.
 * PDU fields are the SMPP 3.4 parameter names; a decoded short_message is its text and UDH.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';

  export interface DecodedMessage {
    message: string | Buffer;
    udh?: Buffer[];
  }

  export class PDU {
    /** a command and its fields, or a whole PDU as read off the wire */
    constructor(command: string | Buffer, options?: Record<string, unknown>);
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    response(options?: Record<string, unknown>): PDU;
    isResponse(): boolean;
    toBuffer(): Buffer;
  }

  export interface Session extends EventEmitter {
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
  }

  export function connect(options: { host: string; port: number }, listener?: () => void): Session;

  export const ESME_ROK: number;
  export const ESME_RTHROTTLED: number;
  export const ESME_RMSGQFUL: number;
  export const ESME_RINVDSTADR: number;
  export const ESME_RSYSERR: number;
}
