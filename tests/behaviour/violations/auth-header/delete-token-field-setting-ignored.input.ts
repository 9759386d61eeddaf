import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function DELETE(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const response = await fetch(`${BRAIN_API_URL}/api/crm/deals/7/`, { method: 'DELETE' })
  return new Response(null, { status: response.status })
}
