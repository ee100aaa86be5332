// SPDX-License-Identifier: GPL-2.0
/*
 * bes2600 simulation stand-in: the SDIO bus work items.
 *
 * sdio_tx_work writes the frames bh granted a buffer to into the chip.
 * sdio_rx_work runs on the modeled SDIO interrupt and reads confirms and
 * received frames back out of the chip.
 */
#include <linux/kernel.h>
#include "bes2600.h"

void sdio_tx_work(struct work_struct *work)
{
	struct bes2600_common *hw_priv =
		container_of(work, struct bes2600_common, sdio_tx_work);
	struct sk_buff *skb;

	atomic64_inc(&hw_priv->st.sdio_tx_runs);
	while (!bes2600_stopping(hw_priv) &&
	       (skb = skb_dequeue(&hw_priv->bus_tx_q)))
		bes2600_fw_input(hw_priv, skb);
}

void sdio_rx_work(struct work_struct *work)
{
	struct bes2600_common *hw_priv =
		container_of(work, struct bes2600_common, sdio_rx_work);
	struct sk_buff *skb;

	atomic64_inc(&hw_priv->st.sdio_rx_runs);
	while (!bes2600_stopping(hw_priv) &&
	       (skb = bes2600_fw_read(hw_priv))) {
		/*
		 * Confirms are processed in the bh context, the only context
		 * allowed to touch the buffer counters (see wsm.c).
		 */
		bes2600_bh_queue_rx(hw_priv, skb);
	}
}
