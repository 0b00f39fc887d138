#!/usr/bin/perl
# An SMSC for the SMPP gateway's tests, on Debian's Net::SMPP (libnet-smpp-perl)
# listening as the SMSC side. It takes ESMEs on 127.0.0.1 (a transceiver, or a
# receiver and a transmitter) and is driven over stdin, one command a line, and
# reports over stdout, one JSON object a line:
#
#   deliver <source> <ton> <destination> <data_coding> <hex octets> [esm_class [ref total seq]]
#                            send a deliver_sm over the session bound to receive (as a
#                            transceiver or a receiver); ref total seq go in the sar_ TLVs
#   enquire                  send an enquire_link
#   hold / release           keep submit_sm unanswered / answer every one kept
#   refuse <n>               refuse the next n binds (ESME_RINVPASWD)
#   drop                     close every ESME's connection without an unbind
#   quit
#
# events: listening {port}, bind {command, system_id, password, system_type},
# enquire_link, enquire_link_resp, deliver_sm {seq, via}, deliver_sm_resp {seq, status},
# submit_sm {fields, short_message_hex, outstanding, via}, unbind, closed
# (`via`: the bind command of the session it went over).
use strict;
use warnings;
use IO::Select;
use JSON::PP;
use Net::SMPP;

my %opt = (system_id => 'srs', password => 'srs-smpp', @ARGV);
my $json = JSON::PP->new->canonical;
$| = 1;

sub event { print $json->encode({@_}), "\n" }

my $listener = Net::SMPP->new_listen('127.0.0.1', port => 0, smpp_version => 0x34, async => 1)
  or die "cannot listen: $!";
event(event => 'listening', port => $listener->sockport);

my $select = IO::Select->new($listener, \*STDIN);
# the ESMEs connected, and the bind command each is bound with
my (@esmes, %bound_as, $held, @kept);
my $refusals = 0;
my $message_id = 0;
my $stdin_buffer = '';

sub close_esme {
    my ($esme) = @_;
    $select->remove($esme);
    close $esme;
    @esmes = grep { $_ != $esme } @esmes;
    delete $bound_as{$esme};
    @kept = grep { $_->[0] != $esme } @kept;
    event(event => 'closed');
}

sub answer_submit {
    my ($esme, $pdu) = @_;
    $esme->submit_sm_resp(seq => $pdu->{seq}, message_id => sprintf('m%06d', ++$message_id));
}

sub receiving_esme {
    for my $esme (@esmes) {
        my $as = $bound_as{$esme} // '';
        return $esme if $as eq 'bind_transceiver' || $as eq 'bind_receiver';
    }
    return undef;
}

sub command {
    my ($line) = @_;
    my ($verb, @args) = split ' ', $line;
    return unless defined $verb;
    if ($verb eq 'quit') { close_esme($_) for @{[@esmes]}; exit 0 }
    if ($verb eq 'hold') { $held = 1; return }
    if ($verb eq 'refuse') { $refusals = $args[0]; return }
    if ($verb eq 'release') {
        $held = 0;
        answer_submit(@$_) for splice @kept;
        return;
    }
    if ($verb eq 'drop') { close_esme($_) for @{[@esmes]}; return }
    return event(event => 'error', message => "no ESME bound for $verb") unless @esmes;
    if ($verb eq 'enquire') { $_->enquire_link() for @esmes; return }
    if ($verb eq 'deliver') {
        my ($source, $ton, $destination, $coding, $hex, $esm_class, $ref, $total, $seqnum) = @args;
        my $esme = receiving_esme() or return event(event => 'error', message => 'no ESME bound to receive');
        my @sar = defined $seqnum
          ? (sar_msg_ref_num => pack('n', $ref), sar_total_segments => pack('C', $total), sar_segment_seqnum => pack('C', $seqnum))
          : ();
        my $seq = $esme->deliver_sm(
            source_addr_ton  => $ton,
            source_addr_npi  => 1,
            source_addr      => $source,
            dest_addr_ton    => 3,
            dest_addr_npi    => 0,
            destination_addr => $destination,
            esm_class        => $esm_class // 0,
            data_coding      => $coding,
            short_message    => pack('H*', $hex // ''),
            @sar,
        );
        event(event => 'deliver_sm', seq => $seq, via => $bound_as{$esme});
        return;
    }
    event(event => 'error', message => "unknown command $verb");
}

sub pdu_from_esme {
    my ($esme) = @_;
    my $pdu = $esme->read_pdu();
    return close_esme($esme) unless $pdu;
    my $cmd = $pdu->{cmd};
    if ($cmd == Net::SMPP::CMD_bind_transceiver || $cmd == Net::SMPP::CMD_bind_receiver || $cmd == Net::SMPP::CMD_bind_transmitter) {
        my %names = (
            Net::SMPP::CMD_bind_transceiver => 'bind_transceiver',
            Net::SMPP::CMD_bind_receiver    => 'bind_receiver',
            Net::SMPP::CMD_bind_transmitter => 'bind_transmitter',
        );
        my $refused = $refusals > 0 && $refusals--;
        my $ok = $pdu->{system_id} eq $opt{system_id} && $pdu->{password} eq $opt{password} && !$refused;
        event(event => 'bind', command => $names{$cmd}, system_id => $pdu->{system_id}, password => $pdu->{password},
              system_type => $pdu->{system_type}, accepted => $ok ? JSON::PP::true : JSON::PP::false);
        $bound_as{$esme} = $names{$cmd} if $ok;
        my $answer = "$names{$cmd}_resp";
        $esme->$answer(seq => $pdu->{seq}, status => $ok ? 0 : 0x0E, system_id => 'fake-smsc');
    } elsif ($cmd == Net::SMPP::CMD_enquire_link) {
        event(event => 'enquire_link', via => $bound_as{$esme});
        $esme->enquire_link_resp(seq => $pdu->{seq});
    } elsif ($cmd == Net::SMPP::CMD_enquire_link_resp) {
        event(event => 'enquire_link_resp', via => $bound_as{$esme});
    } elsif ($cmd == Net::SMPP::CMD_deliver_sm_resp) {
        event(event => 'deliver_sm_resp', seq => $pdu->{seq}, status => $pdu->{status});
    } elsif ($cmd == Net::SMPP::CMD_submit_sm) {
        my %fields = map { $_ => $pdu->{$_} }
          qw(source_addr_ton source_addr_npi source_addr dest_addr_ton dest_addr_npi destination_addr esm_class data_coding registered_delivery);
        my $body = length($pdu->{short_message} // '') ? $pdu->{short_message} : ($pdu->{message_payload} // '');
        push @kept, [$esme, $pdu] if $held;
        event(event => 'submit_sm', fields => \%fields, short_message_hex => unpack('H*', $body), outstanding => scalar @kept,
              via => $bound_as{$esme});
        answer_submit($esme, $pdu) unless $held;
    } elsif ($cmd == Net::SMPP::CMD_unbind) {
        event(event => 'unbind', via => $bound_as{$esme});
        $esme->unbind_resp(seq => $pdu->{seq});
        close_esme($esme);
    } else {
        $esme->generic_nack(seq => $pdu->{seq}, status => 0x03);
    }
}

while (1) {
    for my $ready ($select->can_read) {
        if ($ready == $listener) {
            my $conn = $listener->accept or next;
            push @esmes, $conn;
            $select->add($conn);
        } elsif ($ready == \*STDIN) {
            my $n = sysread(STDIN, $stdin_buffer, 4096, length $stdin_buffer);
            if (!$n) { close_esme($_) for @{[@esmes]}; exit 0 }
            while ($stdin_buffer =~ s/^([^\n]*)\n//) { command($1) }
        } elsif (grep { $_ == $ready } @esmes) {
            pdu_from_esme($ready);
        }
    }
}
